-- Lua twin of sieve.json: the primes below n.
local n = tonumber(arg[1])
local composite = {}
for i = 0, n - 1 do composite[i] = 0 end
local p = 2
while p * p < n do
  if composite[p] == 0 then
    for j = p * p, n - 1, p do composite[j] = 1 end
  end
  p = p + 1
end
local count = 0
for i = 2, n - 1 do
  if composite[i] == 0 then count = count + 1 end
end
print(string.format("%d", count))
