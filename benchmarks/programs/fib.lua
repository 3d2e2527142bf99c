-- Lua twin of fib.json (LuaJIT and Lua 5.4): naive recursive fib(n).
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
print(string.format("%d", fib(tonumber(arg[1]))))
