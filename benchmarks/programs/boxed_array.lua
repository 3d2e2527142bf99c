-- Lua twin of boxed_array.json: an array of n integers (Lua tags its own
-- values), then 4 passes of get and set.
local n = tonumber(arg[1])
local a = {}
for i = 0, n - 1 do a[#a + 1] = (i * 7) % 1000 end
local len = #a
local total = 0
for _ = 1, 4 do
  for i = 1, len do
    local v = a[i]
    total = total + v
    a[i] = (v + 1) % 1000
  end
end
print(string.format("len=%d total=%d", len, total))
