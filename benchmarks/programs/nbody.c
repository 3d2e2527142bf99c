/* C twin of nbody.json: the classic five-body simulation, n steps of 0.01;
 * bodies are 7 doubles each (x y z vx vy vz mass) in one buffer. Prints
 * -energy * 1e9 before and after. */
#include "bench_main.h"
#include <math.h>

#define PI 3.141592653589793
#define SOLAR (4 * PI * PI)
#define DPY 365.24

static double *b;

static double energy(void) {
  double e = 0.0;
  for (int64_t i = 0; i < 5; i = i + 1) {
    double *p = b + i * 7;
    double v2 = p[3] * p[3] + p[4] * p[4] + p[5] * p[5];
    e = e + 0.5 * p[6] * v2;
    for (int64_t j = i + 1; j < 5; j = j + 1) {
      double *q = b + j * 7;
      double dx = p[0] - q[0], dy = p[1] - q[1], dz = p[2] - q[2];
      double d2 = dx * dx + dy * dy + dz * dz;
      e = e - p[6] * q[6] / sqrt(d2);
    }
  }
  return e;
}

int main(int argc, char **argv) {
  int64_t n = bench_n(argc, argv);
  static const double init[35] = {
      0, 0, 0, 0, 0, 0, SOLAR,
      4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03 * DPY, 7.69901118419740425e-03 * DPY,
      -6.90460016972063023e-05 * DPY, 9.54791938424326609e-04 * SOLAR,
      8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03 * DPY, 4.99852801234917238e-03 * DPY,
      2.30417297573763929e-05 * DPY, 2.85885980666130812e-04 * SOLAR,
      1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
      2.96460137564761618e-03 * DPY, 2.37847173959480950e-03 * DPY,
      -2.96589568540237556e-05 * DPY, 4.36624404335156298e-05 * SOLAR,
      1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
      2.68067772490389322e-03 * DPY, 1.62824170038242295e-03 * DPY,
      -9.51592254519715870e-05 * DPY, 5.15138902046611451e-05 * SOLAR};
  b = calloc(35, 8);
  for (int i = 0; i < 35; i = i + 1)
    b[i] = init[i];
  for (int axis = 0; axis < 3; axis = axis + 1) {
    double p = 0.0;
    for (int64_t i = 0; i < 5; i = i + 1)
      p = p + b[i * 7 + 3 + axis] * b[i * 7 + 6];
    b[3 + axis] = -p / SOLAR;
  }
  double e0 = energy();
  for (int64_t s = 0; s < n; s = s + 1) {
    for (int64_t i = 0; i < 5; i = i + 1)
      for (int64_t j = i + 1; j < 5; j = j + 1) {
        double *p = b + i * 7, *q = b + j * 7;
        double dx = p[0] - q[0], dy = p[1] - q[1], dz = p[2] - q[2];
        double d2 = dx * dx + dy * dy + dz * dz;
        double dist = sqrt(d2);
        double mag = 0.01 / (d2 * dist);
        double mi = p[6] * mag, mj = q[6] * mag;
        p[3] = p[3] - dx * mj;
        q[3] = q[3] + dx * mi;
        p[4] = p[4] - dy * mj;
        q[4] = q[4] + dy * mi;
        p[5] = p[5] - dz * mj;
        q[5] = q[5] + dz * mi;
      }
    for (int64_t i = 0; i < 5; i = i + 1)
      for (int axis = 0; axis < 3; axis = axis + 1)
        b[i * 7 + axis] = b[i * 7 + axis] + 0.01 * b[i * 7 + 3 + axis];
  }
  double e1 = energy();
  printf("%lld\n%lld\n", (long long)(int64_t)(-e0 * 1e9),
         (long long)(int64_t)(-e1 * 1e9));
  return 0;
}
