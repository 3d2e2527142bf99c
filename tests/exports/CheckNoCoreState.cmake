# cmake -DOBJDUMP=... -DLIB=... -P CheckNoCoreState.cmake
#
# libspl_exec_jit.so must hold no state of the core (jit/Boundary.h): no
# writable data (.data, .bss, thread-locals) of ffi/, runtime/, interp/ or
# mir/ -- a second copy of such a thing (the guard's thread-locals, an
# intern table mir/ fills at run time) would not be the one libspl_exec.so
# uses. Code may be there (CoreShim.cpp's forwarding functions, mir/'s
# stateless functions). Read from the library's local symbols (objdump -t:
# each with its section).
include(${CMAKE_CURRENT_LIST_DIR}/SymbolLines.cmake)
spl_symbol_lines(lines ${OBJDUMP} -t -C ${LIB})
set(bad "")
foreach(line ${lines})
  # "ADDRESS FLAGS SECTION\tSIZE NAME"
  if(NOT line MATCHES "^[0-9a-f]+ .* ([.A-Za-z0-9_]+)\t[0-9a-f]+ +(.+)$")
    continue()
  endif()
  set(section "${CMAKE_MATCH_1}")
  set(name "${CMAKE_MATCH_2}")
  if(section STREQUAL "*UND*" OR section STREQUAL "*ABS*")
    continue()
  endif()
  if(NOT section MATCHES "^\\.(data|bss|tdata|tbss)$")
    continue() # code and constants may be copies: they hold no state
  endif()
  string(REGEX REPLACE "^guard variable for " "" owner "${name}")
  if(owner MATCHES "^(spl::(ffi|rt|interp|mir)::|rt_[a-z]|spl_(rt|eh|builtin)_)" AND
     # A constant table, in .data only because its initialiser takes
     # function addresses (mir/IntrinsicEval.cpp).
     NOT owner MATCHES "^spl::mir::\\(anonymous namespace\\)::BitFns$" AND
     # The immutable defaults mir/MIR.h's accessors return by reference when
     # a field is absent (a Unit type, no callee): never written and their
     # addresses never compared, so a copy per library is harmless.
     NOT owner MATCHES "^spl::mir::[A-Za-z]+::[A-Za-z]+(\\[abi:cxx11\\])?\\(\\) const::(Unit|None)$" AND
     NOT owner MATCHES "^spl::mir::noConstant\\(\\)::None$")
    list(APPEND bad "${section}: ${name}")
  endif()
endforeach()
list(LENGTH bad nbad)
if(nbad GREATER 0)
  string(REPLACE ";" "\n  " bad "${bad}")
  message(FATAL_ERROR "${LIB} holds ${nbad} pieces of the core's state (they "
                      "must stay in libspl_exec.so: a service of "
                      "jit/Boundary.h):\n  ${bad}")
endif()
message(STATUS "${LIB}: no state of the core")
