//===- jit/ObjectCache.h - Compiled modules kept on disk --------*- C++ -*-===//
//
// Private to jit/. One file per compiled module, named by its key: a BLAKE3
// hash of the module as lowered (its bitcode, before optimisation) and of
// everything else its object code depends on (the descriptor: spl-exec and
// LLVM versions, the build of the code generator (CodeGen.h), target
// triple, CPU and features, optimisation level, code and relocation model).
// The session looks a module up before optimising it, so a hit skips both
// optimisation and code generation (CompileCache.cpp).
//
// A file is
//   "SPLOBJC\0" | u32 format version | u32 descriptor size | key[32]
//   | u64 payload size | BLAKE3(payload)[32] | descriptor | payload
// (little-endian), all verified before use: a file that fails any check
// (corrupt, truncated, another version or CPU) is ignored with one warning
// and rewritten by the compile that follows. Writers write a unique
// temporary file in the same directory and rename it over the entry, so
// concurrent writers and readers only ever see whole files.
//
//===----------------------------------------------------------------------===//
#ifndef SPL_JIT_OBJECTCACHE_H
#define SPL_JIT_OBJECTCACHE_H

#include "jit/JIT.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/MemoryBuffer.h"

#include <array>
#include <memory>
#include <string>

namespace spl::jit {

using CacheKey = std::array<uint8_t, 32>;

/// What a key covers besides the module: a cache file written under another
/// descriptor is foreign.
std::string cacheDescriptor(const llvm::orc::JITTargetMachineBuilder &Host,
                            unsigned OptLevel);

class ObjectCache {
public:
  explicit ObjectCache(CacheOptions Opts);

  /// The key of a module as lowered (its bitcode), compiled as Descriptor
  /// says.
  CacheKey keyOf(llvm::StringRef Bitcode, llvm::StringRef Descriptor) const;
  /// The object stored under Key, or null when there is none or the file is
  /// bad (then one warning; the caller compiles and store() rewrites it).
  std::unique_ptr<llvm::MemoryBuffer> lookup(const CacheKey &Key,
                                             llvm::StringRef Descriptor);
  /// Writes Obj under Key, then trims the directory to the size cap. A
  /// failure is a warning (once per cache): caching is an optimisation.
  void store(const CacheKey &Key, llvm::StringRef Descriptor,
             llvm::StringRef Obj);

  /// The path of Key's file.
  std::string pathOf(const CacheKey &Key) const;

private:
  void warn(const llvm::Twine &Msg);
  void trim();

  CacheOptions Opts;
  bool WriteFailed = false;
};

/// The bytes of a cache file holding Obj (exposed for tests that forge
/// foreign entries).
std::string encodeCacheFile(const CacheKey &Key, llvm::StringRef Descriptor,
                            llvm::StringRef Obj);

} // namespace spl::jit

#endif // SPL_JIT_OBJECTCACHE_H
