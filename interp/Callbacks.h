//===- interp/Callbacks.h - MIR functions callable from C -------*- C++ -*-===//
//
// Private to interp/. A MIR function pointer must be a C-callable address,
// since it may reach C (an argument to an extern, a store, a cast). For
// each (slot, signature) a function-pointer constant names, a libffi
// closure is made once at load time; its code address is the pointer's
// value. Calling it from C runs the slot's function in the interpreter, on
// top of this thread's value stack, continuing the running execution's
// call depth; a trap inside ends that execution as usual (the longjmp of
// ffi::runGuarded passes over the C frames), and so does a raise: the MIR run
// sits inside an EHFrame{Kind=Barrier}, so an exception never unwinds
// through C. MIR calls through such a pointer are recognised by
// SlotTable::slotAt and stay interpreter calls.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_INTERP_CALLBACKS_H
#define SPL_INTERP_CALLBACKS_H

#include "interp/Bytecode.h"

#include "llvm/Support/Error.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>

namespace spl::interp {

class SlotTable;

class CallbackTable {
public:
  CallbackTable(SlotTable &Slots, const std::atomic<unsigned> &MaxDepth,
                ffi::CallbackErrors *Errors = nullptr);
  ~CallbackTable();
  /// The C-callable address of the function in Slot, seen as Sig.
  llvm::Expected<uint64_t> address(FuncSlot *Slot, const mir::Signature &Sig);

  struct Callback;

private:
  SlotTable &Slots;
  const std::atomic<unsigned> &MaxDepth;
  ffi::CallbackErrors *Errors;
  std::map<std::pair<const FuncSlot *, std::string>, std::unique_ptr<Callback>>
      Made;
};

} // namespace spl::interp

#endif // SPL_INTERP_CALLBACKS_H
