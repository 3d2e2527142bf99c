-- Lua twin of loop_f64.json: n terms of the Leibniz series, sum * 1e12.
local n = tonumber(arg[1])
local sum, sign = 0.0, 1.0
for i = 0, n - 1 do
  local d = i * 2.0 + 1.0
  sum = sum + sign / d
  sign = -sign
end
print(string.format("%d", math.floor(sum * 1e12)))
