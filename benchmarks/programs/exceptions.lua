-- Lua twin of exceptions.json: every 8th call raises two frames down
-- (error with the number as payload), pcall catches it.
local n = tonumber(arg[1])
local function check(i)
  if i % 8 == 0 then error(i, 0) end
  return i * 3
end
local function mid(i) return check(i) + 1 end
local total, caught = 0, 0
for i = 0, n - 1 do
  local ok, r = pcall(mid, i)
  if ok then total = (total + r) % 1000000007 else caught = caught + r % 1000 end
end
print(string.format("total=%d caught=%d", total, caught))
