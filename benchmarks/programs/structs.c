/* C twin of structs.json: particles as nested structs (Particle {pos, vel,
 * mass}, Vec {x, y}, one 8-byte word per field as Aggregate lays them out),
 * made once, then n steps of calls reading and writing their fields (damped
 * velocities, wrapped positions: every value stays small). */
#include "bench_main.h"

typedef struct {
  int64_t x, y;
} Vec;
typedef struct {
  Vec *pos, *vel;
  int64_t mass;
} Particle;

Particle *make_particle(int64_t x, int64_t y, int64_t m) {
  Vec *pos = calloc(1, sizeof(Vec));
  pos->x = x;
  pos->y = y;
  Vec *vel = calloc(1, sizeof(Vec));
  Particle *p = calloc(1, sizeof(Particle));
  p->pos = pos;
  p->vel = vel;
  p->mass = m;
  return p;
}

void pull(Particle *p, Particle *q) {
  Vec *pp = p->pos, *qp = q->pos, *pv = p->vel;
  int64_t qm = q->mass;
  pv->x = pv->x - pv->x / 16 + (qp->x - pp->x) * qm / 64;
  pv->y = pv->y - pv->y / 16 + (qp->y - pp->y) * qm / 64;
}

int64_t advance(Particle *p) {
  Vec *ap = p->pos, *av = p->vel;
  ap->x = (ap->x + av->x / 8) % 4096;
  ap->y = (ap->y + av->y / 8) % 4096;
  return ap->x + ap->y;
}

int main(int argc, char **argv) {
  int64_t n = bench_n(argc, argv);
  Particle *ps[4] = {make_particle(0, 0, 5), make_particle(1000, 0, 3),
                     make_particle(0, 1000, 4), make_particle(1000, 1000, 2)};
  int64_t check = 0;
  for (int64_t s = 0; s < n; s = s + 1) {
    for (int a = 0; a < 4; a = a + 1) {
      pull(ps[a], ps[(a + 1) % 4]);
      pull(ps[a], ps[(a + 2) % 4]);
    }
    for (int a = 0; a < 4; a = a + 1)
      check = (check * 31 + advance(ps[a])) % 1000000007;
  }
  printf("check=%lld\n", (long long)check);
  return 0;
}
