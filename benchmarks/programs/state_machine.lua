-- Lua twin of state_machine.json: 8 states (an if chain: Lua has no
-- switch), the input a small LCG. math.fmod is C's truncating remainder.
local n = tonumber(arg[1])
local fmod = math.fmod
local x, state, acc = 1, 0, 0
for _ = 1, n do
  x = (x * 75 + 74) % 65537
  local c = x % 8
  if state == 0 then acc = acc + c; state = (c * 1 + 1) % 8
  elseif state == 1 then acc = acc - 1; state = (c * 3 + 2) % 8
  elseif state == 2 then acc = acc + c * 3; state = (c * 5 + 3) % 8
  elseif state == 3 then acc = fmod(acc + 1000003, 1000003); state = (c * 7 + 4) % 8
  elseif state == 4 then acc = acc + 7; state = (c * 1 + 5) % 8
  elseif state == 5 then acc = acc - c; state = (c * 3 + 6) % 8
  elseif state == 6 then acc = acc + x % 13; state = (c * 5 + 7) % 8
  else acc = acc + 2; state = (c * 7 + 0) % 8
  end
end
print(string.format("%d", acc))
