//===- tools/BenchManifest.cpp - programs.txt -----------------------------===//
//
// One program per line: `name n quick_n link description...`. The sizes live
// here rather than in the programs so that --quick and the full run measure
// the same code, and every runner gets the same n.
//
//===----------------------------------------------------------------------===//
#include "tools/BenchHarness.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace llvm;

namespace spl::bench {

static Error manifestError(StringRef Path, unsigned Line, const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(),
                           Path + ":" + Twine(Line) + ": " + Msg);
}

Expected<std::vector<Program>> readManifest(StringRef Dir) {
  std::string Path = (Dir + "/programs.txt").str();
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return createStringError(Buf.getError(), "cannot read `" + Path +
                                                  "`: " + Buf.getError().message());
  std::vector<Program> Out;
  SmallVector<StringRef, 0> Lines;
  (*Buf)->getBuffer().split(Lines, '\n');
  for (unsigned I = 0; I < Lines.size(); ++I) {
    StringRef L = Lines[I].split('#').first.trim();
    if (L.empty())
      continue;
    SmallVector<StringRef, 8> F;
    L.split(F, ' ', -1, /*KeepEmpty=*/false);
    if (F.size() < 4)
      return manifestError(Path, I + 1,
                           "expected `name n quick_n link description...`");
    Program P;
    P.Name = F[0].str();
    if (!to_integer(F[1], P.N, 10) || P.N < 0 ||
        !to_integer(F[2], P.QuickN, 10) || P.QuickN < 0)
      return manifestError(Path, I + 1, "sizes must be non-negative integers");
    P.Link = F[3] == "-" ? "" : F[3].str();
    for (size_t J = 4; J < F.size(); ++J)
      P.What += (J > 4 ? " " : "") + F[J].str();
    for (const char *Ext : {".json", ".mir"})
      if (std::string M = (Dir + "/" + P.Name + Ext).str(); sys::fs::exists(M)) {
        P.MirPath = M;
        break;
      }
    if (P.MirPath.empty())
      return manifestError(Path, I + 1, "no " + P.Name + ".json or " + P.Name +
                                            ".mir beside it");
    P.CPath = (Dir + "/" + P.Name + ".c").str();
    if (!sys::fs::exists(P.CPath))
      return manifestError(Path, I + 1, "no C twin " + P.Name + ".c beside it");
    if (std::string Lua = (Dir + "/" + P.Name + ".lua").str(); sys::fs::exists(Lua))
      P.LuaPath = Lua;
    Out.push_back(std::move(P));
  }
  return Out;
}

} // namespace spl::bench
