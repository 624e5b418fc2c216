//===- BytecodeLoadFuzzer.cpp - libFuzzer target: the .sbc loader ---------===//
//
// The fuzzer's bytes become the payload of a well-formed container (magic,
// version, length and a correct SHA-256), so that mutations reach the
// section reader and the verifier instead of stopping at the hash check.
// A loaded program must disassemble without trouble.
//
//===----------------------------------------------------------------------===//

#include "sstat/Bytecode/Bytecode.h"

#include <openssl/evp.h>

#include <cstdint>
#include <cstring>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::vector<uint8_t> File(sstat::bc::Magic, sstat::bc::Magic + 8);
  uint32_t V = sstat::bc::FormatVersion;
  for (int I = 0; I < 4; ++I)
    File.push_back(uint8_t(V >> (8 * I)));
  uint64_t L = Size;
  for (int I = 0; I < 8; ++I)
    File.push_back(uint8_t(L >> (8 * I)));
  File.insert(File.end(), Data, Data + Size);
  unsigned char H[32];
  unsigned HL = 0;
  EVP_Digest(Data, Size, H, &HL, EVP_sha256(), nullptr);
  File.insert(File.end(), H, H + 32);
  auto P = sstat::bc::load(File);
  if (P)
    (void)sstat::bc::disassemble(*P);
  else
    llvm::consumeError(P.takeError());
  return 0;
}
