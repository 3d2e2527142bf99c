# SPL_SANITIZE: build everything (libraries, spl-exec, tests) with the given
# -fsanitize= list, e.g. "address,undefined" (make test-asan) or "thread"
# (make test-tsan). Empty (the default) builds without sanitizers.
#
# Only the project's own code is instrumented: libLLVM, libtorch, libffi and
# the JIT's generated code are not, so reports in them are out of reach and
# scripts/sanitize/*.supp suppresses the ones they cause (each with its why).
set(SPL_SANITIZE "" CACHE STRING
    "Sanitizers to build with (-fsanitize= list), e.g. address,undefined or thread")

if(SPL_SANITIZE)
  message(STATUS "Sanitizers: ${SPL_SANITIZE}")
  # Frame pointers and line tables: readable stacks in reports, cheaply.
  # -O1 (after the build type's -O3, so it wins): what the sanitizers
  # recommend, and a faster build of the CI's second tree.
  set(spl_san_flags -fsanitize=${SPL_SANITIZE} -fno-omit-frame-pointer -g1 -O1)
  if(SPL_SANITIZE MATCHES "undefined")
    # A UBSan finding fails the test (it would only print otherwise).
    list(APPEND spl_san_flags -fno-sanitize-recover=undefined)
    # vptr checks a polymorphic object's dynamic type through its RTTI;
    # Debian's libLLVM is built with -fno-rtti, so every LLVM object (a
    # cl::Option, a Pass) fails the check for want of type information.
    list(APPEND spl_san_flags -fno-sanitize=vptr)
  endif()
  # gcc's -Wmaybe-uninitialized misfires on instrumented code (here on LLVM's
  # json::Value, which unpoisons its union under ASan): noise, not findings.
  list(APPEND spl_san_flags -Wno-maybe-uninitialized)
  add_compile_options(${spl_san_flags})
  add_link_options(-fsanitize=${SPL_SANITIZE})
endif()
