# spl_symbol_lines(OUT TOOL ARGS...): the lines TOOL ARGS prints (nm,
# objdump), as a list; fails naming the tool and library if it fails.
function(spl_symbol_lines out tool)
  execute_process(COMMAND ${tool} ${ARGN}
                  OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${tool} ${ARGN} failed")
  endif()
  string(REPLACE "\n" ";" lines "${text}")
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()
