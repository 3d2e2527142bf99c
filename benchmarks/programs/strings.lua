-- Lua twin of strings.json: append "{i}," to a line, every 16 numbers
-- measure and search it, then start again.
local n = tonumber(arg[1])
local find, tostr = string.find, tostring
local line, total, hits = "", 0, 0
for i = 0, n - 1 do
  line = line .. (tostr(i) .. ",")
  if i % 16 == 15 then
    total = total + #line
    if find(line, "77", 1, true) then hits = hits + 1 end
    line = ""
  end
end
print(string.format("len=%d hits=%d", total, hits))
