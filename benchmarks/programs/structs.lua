-- Lua twin of structs.json: particles as nested tables {pos, vel, mass}.
-- C's truncating / and % on integers: tdiv and math.fmod.
local n = tonumber(arg[1])
local floor, ceil, fmod = math.floor, math.ceil, math.fmod
local function tdiv(a, b)
  local q = a / b
  if q >= 0 then return floor(q) else return ceil(q) end
end
local function make_particle(x, y, m)
  return { pos = { x = x, y = y }, vel = { x = 0, y = 0 }, mass = m }
end
local function pull(p, q)
  local pp, qp, pv, qm = p.pos, q.pos, p.vel, q.mass
  pv.x = pv.x - tdiv(pv.x, 16) + tdiv((qp.x - pp.x) * qm, 64)
  pv.y = pv.y - tdiv(pv.y, 16) + tdiv((qp.y - pp.y) * qm, 64)
end
local function advance(p)
  local ap, av = p.pos, p.vel
  ap.x = fmod(ap.x + tdiv(av.x, 8), 4096)
  ap.y = fmod(ap.y + tdiv(av.y, 8), 4096)
  return ap.x + ap.y
end
local ps = { make_particle(0, 0, 5), make_particle(1000, 0, 3),
             make_particle(0, 1000, 4), make_particle(1000, 1000, 2) }
local check = 0
for _ = 1, n do
  for a = 0, 3 do
    pull(ps[a + 1], ps[(a + 1) % 4 + 1])
    pull(ps[a + 1], ps[(a + 2) % 4 + 1])
  end
  for a = 1, 4 do
    check = fmod(check * 31 + advance(ps[a]), 1000000007)
  end
end
print(string.format("check=%d", check))
