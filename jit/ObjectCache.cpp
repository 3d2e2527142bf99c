//===- jit/ObjectCache.cpp - Compiled modules kept on disk ----------------===//
#include "CodeGen.h"
#include "ObjectCache.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/EndianStream.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <vector>

using namespace llvm;
using namespace spl;
using namespace spl::jit;

namespace {
constexpr char Magic[8] = {'S', 'P', 'L', 'O', 'B', 'J', 'C', '\0'};
constexpr uint32_t FormatVersion = 1;
constexpr size_t HeaderSize = 8 + 4 + 4 + 32 + 8 + 32;
constexpr StringLiteral Suffix = ".splobj";
constexpr StringLiteral TempPrefix = ".tmp-";

CacheKey hashOf(StringRef Bytes) {
  BLAKE3 H;
  H.update(Bytes);
  return H.final<32>();
}

StringRef bytesOf(const CacheKey &K) {
  return StringRef(reinterpret_cast<const char *>(K.data()), K.size());
}
} // namespace

std::string spl::jit::cacheDescriptor(const orc::JITTargetMachineBuilder &Host,
                                      unsigned OptLevel) {
  std::string D;
  raw_string_ostream OS(D);
  OS << "spl-exec " SPL_EXEC_VERSION "; LLVM " LLVM_VERSION_STRING "; build "
     << codeGenIdentity() << "; " << Host.getTargetTriple().str() << "; cpu "
     << Host.getCPU() << "; features " << Host.getFeatures().getString()
     << "; O" << OptLevel << "; code model "
     << int(Host.getCodeModel().value_or(CodeModel::Small)) << "; reloc "
     << int(Host.getRelocationModel().value_or(Reloc::PIC_));
  return D;
}

std::string spl::jit::encodeCacheFile(const CacheKey &Key, StringRef Descriptor,
                                      StringRef Obj) {
  std::string Out;
  Out.reserve(HeaderSize + Descriptor.size() + Obj.size());
  raw_string_ostream OS(Out);
  support::endian::Writer W(OS, endianness::little);
  OS.write(Magic, sizeof(Magic));
  W.write<uint32_t>(FormatVersion);
  W.write<uint32_t>(uint32_t(Descriptor.size()));
  OS << bytesOf(Key);
  W.write<uint64_t>(Obj.size());
  OS << bytesOf(hashOf(Obj));
  OS << Descriptor << Obj;
  return Out;
}

ObjectCache::ObjectCache(CacheOptions O) : Opts(std::move(O)) {}

void ObjectCache::warn(const Twine &Msg) {
  std::string Text = ("spl-exec cache: " + Msg).str();
  if (Opts.Warn)
    Opts.Warn(Text);
  else
    errs() << "warning: " << Text << "\n";
}

CacheKey ObjectCache::keyOf(StringRef Bitcode, StringRef Descriptor) const {
  BLAKE3 H;
  H.update(Descriptor);
  H.update(ArrayRef<uint8_t>{0});
  H.update(ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(Bitcode.data()),
                             Bitcode.size()));
  return H.final<32>();
}

std::string ObjectCache::pathOf(const CacheKey &Key) const {
  SmallString<256> P(Opts.Directory);
  sys::path::append(P, toHex(bytesOf(Key), /*LowerCase=*/true) + Suffix);
  return std::string(P);
}

std::unique_ptr<MemoryBuffer> ObjectCache::lookup(const CacheKey &Key,
                                                  StringRef Descriptor) {
  std::string Path = pathOf(Key);
  Expected<sys::fs::file_t> FD = sys::fs::openNativeFileForRead(Path);
  if (!FD) {
    consumeError(FD.takeError()); // a miss (or unreadable: compile anyway)
    return nullptr;
  }
  auto Buf = MemoryBuffer::getOpenFile(*FD, Path, /*FileSize=*/-1,
                                       /*RequiresNullTerminator=*/false);
  if (Buf)
    // The trim removes the least recently used entries first.
    (void)sys::fs::setLastAccessAndModificationTime(
        *FD, std::chrono::system_clock::now());
  sys::fs::closeFile(*FD);
  if (!Buf)
    return nullptr;
  StringRef Bytes = (*Buf)->getBuffer();
  auto Bad = [&](const Twine &Why) -> std::unique_ptr<MemoryBuffer> {
    warn("ignoring " + Path + ": " + Why + "; it will be rewritten");
    return nullptr;
  };
  if (Bytes.size() < HeaderSize)
    return Bad("truncated (" + Twine(Bytes.size()) + " bytes, shorter than " +
               "the header)");
  if (Bytes.take_front(sizeof(Magic)) != StringRef(Magic, sizeof(Magic)))
    return Bad("not an spl-exec cache file");
  const char *P = Bytes.data() + sizeof(Magic);
  using namespace support::endian;
  uint32_t Version = read32le(P);
  uint32_t DescSize = read32le(P + 4);
  StringRef FileKey(P + 8, 32);
  uint64_t PayloadSize = read64le(P + 40);
  StringRef PayloadHash(P + 48, 32);
  if (Version != FormatVersion)
    return Bad("cache format " + Twine(Version) + ", expected " +
               Twine(FormatVersion));
  if (FileKey != bytesOf(Key))
    return Bad("its key does not match its name");
  uint64_t Want = uint64_t(HeaderSize) + DescSize + PayloadSize;
  if (DescSize > Bytes.size() || PayloadSize > Bytes.size() ||
      Want != Bytes.size())
    return Bad("truncated or padded (" + Twine(Bytes.size()) +
               " bytes, the header says " + Twine(Want) + ")");
  StringRef Desc = Bytes.substr(HeaderSize, DescSize);
  if (Desc != Descriptor)
    return Bad("written for another build or machine (" + Desc + ")");
  StringRef Payload = Bytes.substr(HeaderSize + DescSize);
  if (bytesOf(hashOf(Payload)) != PayloadHash)
    return Bad("corrupt (checksum mismatch)");
  return MemoryBuffer::getMemBufferCopy(Payload, Path);
}

void ObjectCache::store(const CacheKey &Key, StringRef Descriptor,
                        StringRef Obj) {
  if (WriteFailed)
    return;
  auto Fail = [&](const Twine &What, std::error_code EC) {
    warn("cannot write to " + Opts.Directory + " (" + What + ": " +
         EC.message() + "); compiled code is not cached");
    WriteFailed = true;
  };
  if (std::error_code EC = sys::fs::create_directories(Opts.Directory))
    return Fail("creating it", EC);
  // A unique temporary in the same directory, renamed over the entry: the
  // rename is atomic, so a reader or another writer of the same entry sees
  // either the old file or a whole new one.
  SmallString<256> Model(Opts.Directory);
  sys::path::append(Model, TempPrefix + "%%%%%%%%%%%%");
  int FD;
  SmallString<256> Temp;
  if (std::error_code EC = sys::fs::createUniqueFile(Model, FD, Temp))
    return Fail("creating a file", EC);
  std::string Bytes = encodeCacheFile(Key, Descriptor, Obj);
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Bytes;
    OS.close();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      sys::fs::remove(Temp);
      return Fail("writing", EC);
    }
  }
  if (std::error_code EC = sys::fs::rename(Temp, pathOf(Key))) {
    sys::fs::remove(Temp);
    return Fail("renaming", EC);
  }
  trim();
}

void ObjectCache::trim() {
  struct Entry {
    std::string Path;
    sys::TimePoint<> MTime;
    uint64_t Size;
  };
  std::vector<Entry> Entries;
  uint64_t Total = 0;
  auto Now = std::chrono::system_clock::now();
  std::error_code EC;
  for (sys::fs::directory_iterator It(Opts.Directory, EC), End;
       It != End && !EC; It.increment(EC)) {
    StringRef Name = sys::path::filename(It->path());
    bool IsTemp = Name.starts_with(TempPrefix);
    if (!IsTemp && !Name.ends_with(Suffix))
      continue; // not ours: never removed
    ErrorOr<sys::fs::basic_file_status> St = It->status();
    if (!St)
      continue;
    // A temporary older than an hour belongs to a writer that died.
    if (IsTemp) {
      if (Now - St->getLastModificationTime() > std::chrono::hours(1))
        sys::fs::remove(It->path());
      continue;
    }
    Entries.push_back(
        {It->path(), St->getLastModificationTime(), St->getSize()});
    Total += St->getSize();
  }
  if (Total <= Opts.MaxBytes)
    return;
  std::sort(Entries.begin(), Entries.end(),
            [](const Entry &A, const Entry &B) { return A.MTime < B.MTime; });
  for (const Entry &E : Entries) {
    if (Total <= Opts.MaxBytes)
      break;
    // Another process may have removed it first: either way it is gone.
    sys::fs::remove(E.Path);
    Total -= E.Size;
  }
}
