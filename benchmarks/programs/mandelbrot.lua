-- Lua twin of mandelbrot.json: bounded points of an n x n grid.
local n = tonumber(arg[1])
local nf = n + 0.0
local inside = 0
for y = 0, n - 1 do
  local ci = 2.0 * y / nf - 1.0
  for x = 0, n - 1 do
    local cr = 2.0 * x / nf - 1.5
    local zr, zi, it = 0.0, 0.0, 0
    while true do
      if not (it < 50) then inside = inside + 1; break end
      local zr2, zi2 = zr * zr, zi * zi
      if zr2 + zi2 > 4.0 then break end
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
      it = it + 1
    end
  end
end
print(string.format("%d", inside))
