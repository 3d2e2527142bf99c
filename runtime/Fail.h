//===- runtime/Fail.h - Ending the current execution ------------*- C++ -*-===//

#ifndef SPL_RUNTIME_FAIL_H
#define SPL_RUNTIME_FAIL_H

namespace spl::rt::detail {

/// Calls the engine's FailHandler with Message (which must not be a heap
/// temporary: the handler longjmps). Without a handler: prints Message to
/// stderr and aborts, which only happens outside spl-exec.
[[noreturn]] void fail(const char *Message);

} // namespace spl::rt::detail

#endif // SPL_RUNTIME_FAIL_H
