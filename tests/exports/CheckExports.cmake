# cmake -DNM=... -DLIB=... -DALLOW=regex -DREQUIRE=name[;name...] -P CheckExports.cmake
#
# What `nm -D --defined-only` shows of LIB: every name (demangled) must
# match ALLOW, and each of REQUIRE must be among them. Fails listing the
# names that should not be exported.
include(${CMAKE_CURRENT_LIST_DIR}/SymbolLines.cmake)
spl_symbol_lines(lines ${NM} -D --defined-only -C ${LIB})
set(bad "")
set(names "")
foreach(line ${lines})
  # "ADDRESS TYPE NAME"; NAME may hold spaces (demangled C++).
  if(NOT line MATCHES "^[0-9a-f]+ [A-Za-z] (.+)$")
    continue()
  endif()
  set(name "${CMAKE_MATCH_1}")
  list(APPEND names "${name}")
  if(NOT name MATCHES "${ALLOW}")
    list(APPEND bad "${name}")
  endif()
endforeach()
list(LENGTH names count)
list(LENGTH bad nbad)
foreach(r ${REQUIRE})
  list(FIND names "${r}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${LIB} does not export ${r}")
  endif()
endforeach()
if(nbad GREATER 0)
  string(REPLACE ";" "\n  " bad "${bad}")
  message(FATAL_ERROR "${LIB} exports ${nbad} of ${count} names that are not "
                      "its public ABI:\n  ${bad}")
endif()
message(STATUS "${LIB}: ${count} exported names, all public")
