-- Lua twin of matmul.json: naive n x n matrix multiply, weighted checksum.
local n = tonumber(arg[1])
local a, b, c = {}, {}, {}
for i = 0, n - 1 do
  for j = 0, n - 1 do
    a[i * n + j] = ((i + j) % 7 - 3) + 0.0
    b[i * n + j] = ((i * j) % 5 - 2) + 0.0
  end
end
for i = 0, n - 1 do
  for j = 0, n - 1 do
    local s = 0.0
    for k = 0, n - 1 do
      s = s + a[i * n + k] * b[k * n + j]
    end
    c[i * n + j] = s
  end
end
local total = 0.0
for q = 0, n * n - 1 do
  total = total + c[q] * (q % 13 + 1)
end
-- (int64_t) truncates toward zero
local t = total >= 0 and math.floor(total) or math.ceil(total)
print(string.format("%d", t))
