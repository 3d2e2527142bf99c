# Which LLVM each binary links (issue 10, start-up).
#
# spl_llvm carries LLVM's headers and definitions to every target. What it
# links depends on the binary being linked (the head target):
#   * what ships -- libspl_exec.so, libspl_exec_jit.so, the spl-exec command
#     and its line-editor module: spl_static_llvm(TARGET ...) -- links LLVM's
#     component archives (Debian's llvm-19-dev), kept to what it calls by
#     section GC, with only its own exports visible (a version script), so
#     a process maps, relocates and initialises the LLVM it uses and no more
#     (libLLVM.so is 120 MiB with 664 static initialisers);
#   * everything else (tests, benchmarks) links the shared libLLVM: a test
#     links in a fraction of a second, not the seconds a static link of the
#     JIT's LLVM takes.
# A test that links libspl_exec.so and libLLVM.so gets two LLVMs, which is
# fine: libspl_exec.so's is private to it.

# LLVM's archives name these imported targets for libraries whose -dev
# package (and CMake files) Debian does not require: stand-ins at the
# runtime libraries. (Linked with --as-needed: only a binary that calls
# into one keeps it.)
foreach(spl_dep "zstd::libzstd_shared|zstd|libzstd.so.1"
                "LibEdit::LibEdit|edit|libedit.so.2")
  string(REPLACE "|" ";" spl_dep "${spl_dep}")
  list(GET spl_dep 0 spl_target)
  list(GET spl_dep 1 spl_name)
  list(GET spl_dep 2 spl_file)
  if(NOT TARGET ${spl_target})
    find_library(SPL_LIB_${spl_name} NAMES ${spl_name} ${spl_file} REQUIRED)
    add_library(${spl_target} SHARED IMPORTED)
    set_target_properties(${spl_target} PROPERTIES
      IMPORTED_LOCATION ${SPL_LIB_${spl_name}})
  endif()
endforeach()

set(spl_llvm_components Support Demangle Core OrcJIT JITLink Passes native
                        BitWriter BitReader LineEditor)
llvm_map_components_to_libnames(spl_llvm_static_libs ${spl_llvm_components})

add_library(spl_llvm INTERFACE)
target_include_directories(spl_llvm SYSTEM INTERFACE ${LLVM_INCLUDE_DIRS})
separate_arguments(SPL_LLVM_DEFS NATIVE_COMMAND "${LLVM_DEFINITIONS}")
target_compile_definitions(spl_llvm INTERFACE ${SPL_LLVM_DEFS})
target_link_libraries(spl_llvm INTERFACE
  "$<IF:$<BOOL:$<TARGET_PROPERTY:SPL_LLVM_STATIC>>,${spl_llvm_static_libs},LLVM>")

# spl_static_llvm(TARGET [EXPORTS version-script])
# TARGET links LLVM statically; with EXPORTS (a shared library or module) it
# exports only what the script lists and must resolve every symbol itself.
function(spl_static_llvm target)
  cmake_parse_arguments(ARG "" "EXPORTS" "" ${ARGN})
  set_target_properties(${target} PROPERTIES SPL_LLVM_STATIC ON)
  # --as-needed: LLVM's archives name libz3, libxml2, zlib and zstd for the
  # parts that use them; a binary that links none of those parts does not
  # load them. -z pack-relative-relocs: the relative relocations (vtables,
  # tables of pointers) in a compact table the loader walks quickly.
  # -z noseparate-code: code shares pages with read-only data, two mappings
  # fewer to make and fault in at each start.
  target_link_options(${target} PRIVATE "LINKER:--gc-sections"
                      "LINKER:--as-needed" "LINKER:-z,pack-relative-relocs"
                      "LINKER:-z,noseparate-code" "LINKER:-O1")
  if(ARG_EXPORTS)
    target_link_options(${target} PRIVATE
      "LINKER:--version-script=${ARG_EXPORTS}" "LINKER:-z,defs")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${ARG_EXPORTS})
  endif()
endfunction()
