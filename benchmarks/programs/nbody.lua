-- Lua twin of nbody.json: five bodies, 7 numbers each in one array.
local n = tonumber(arg[1])
local PI = 3.141592653589793
local SOLAR = 4 * PI * PI
local DPY = 365.24
local b = {
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
  -9.51592254519715870e-05 * DPY, 5.15138902046611451e-05 * SOLAR,
}
for i = 1, 35 do b[i] = b[i] + 0.0 end
local sqrt = math.sqrt
for axis = 0, 2 do
  local p = 0.0
  for i = 0, 4 do p = p + b[i * 7 + 4 + axis] * b[i * 7 + 7] end
  b[4 + axis] = -p / SOLAR
end
local function energy()
  local e = 0.0
  for i = 0, 4 do
    local o = i * 7
    local v2 = b[o + 4] * b[o + 4] + b[o + 5] * b[o + 5] + b[o + 6] * b[o + 6]
    e = e + 0.5 * b[o + 7] * v2
    for j = i + 1, 4 do
      local q = j * 7
      local dx, dy, dz = b[o + 1] - b[q + 1], b[o + 2] - b[q + 2], b[o + 3] - b[q + 3]
      local d2 = dx * dx + dy * dy + dz * dz
      e = e - b[o + 7] * b[q + 7] / sqrt(d2)
    end
  end
  return e
end
local e0 = energy()
for _ = 1, n do
  for i = 0, 4 do
    local o = i * 7
    for j = i + 1, 4 do
      local q = j * 7
      local dx, dy, dz = b[o + 1] - b[q + 1], b[o + 2] - b[q + 2], b[o + 3] - b[q + 3]
      local d2 = dx * dx + dy * dy + dz * dz
      local dist = sqrt(d2)
      local mag = 0.01 / (d2 * dist)
      local mi, mj = b[o + 7] * mag, b[q + 7] * mag
      b[o + 4] = b[o + 4] - dx * mj
      b[q + 4] = b[q + 4] + dx * mi
      b[o + 5] = b[o + 5] - dy * mj
      b[q + 5] = b[q + 5] + dy * mi
      b[o + 6] = b[o + 6] - dz * mj
      b[q + 6] = b[q + 6] + dz * mi
    end
  end
  for i = 0, 4 do
    local o = i * 7
    for axis = 1, 3 do b[o + axis] = b[o + axis] + 0.01 * b[o + 3 + axis] end
  end
end
local e1 = energy()
print(string.format("%d\n%d", math.floor(-e0 * 1e9), math.floor(-e1 * 1e9)))
