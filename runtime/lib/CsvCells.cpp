//===- CsvCells.cpp - Reading and quoting single CSV cells ----------------===//
//
// std::from_chars does the real work: it is exact (correctly rounded, so a
// number written with 17 significant digits reads back bit-identical), needs
// no locale and is fast. Around it: R accepts a leading '+', which from_chars
// does not, and R reads a decimal too small for a double (1e-400) as zero,
// where from_chars reports it out of range just like 1e400; the magnitude of
// the literal tells the two apart.
//
//===----------------------------------------------------------------------===//

#include "CsvCells.h"

#include <charconv>
#include <cmath>
#include <limits>

using namespace llvm;

namespace sstat::runtime::csv {

namespace {

/// For a well-formed decimal literal (no sign) that from_chars found out of
/// range: true if it is too small (would round to zero), false if too large.
bool isUnderflow(StringRef T) {
  size_t I = 0;
  int64_t Magnitude = 0; // decimal exponent of the first nonzero digit
  bool Seen = false;
  int64_t IntDigits = 0, LeadingFracZeros = 0;
  for (; I < T.size() && T[I] >= '0' && T[I] <= '9'; ++I)
    if (Seen || T[I] != '0') {
      Seen = true;
      ++IntDigits;
    }
  if (I < T.size() && T[I] == '.')
    for (++I; I < T.size() && T[I] >= '0' && T[I] <= '9'; ++I)
      if (!Seen) {
        if (T[I] == '0')
          ++LeadingFracZeros;
        else
          Seen = true;
      }
  Magnitude = IntDigits > 0 ? IntDigits - 1 : -(LeadingFracZeros + 1);
  if (I < T.size() && (T[I] == 'e' || T[I] == 'E')) {
    ++I;
    bool Neg = I < T.size() && T[I] == '-';
    if (I < T.size() && (T[I] == '-' || T[I] == '+'))
      ++I;
    int64_t Exp = 0;
    for (; I < T.size() && T[I] >= '0' && T[I] <= '9'; ++I)
      Exp = std::min<int64_t>(Exp * 10 + (T[I] - '0'), int64_t(1) << 40);
    Magnitude += Neg ? -Exp : Exp;
  }
  return Magnitude < 0;
}

} // namespace

std::optional<double> parseNumber(StringRef Text) {
  const char *B = Text.begin(), *E = Text.end();
  if (B != E && *B == '+') {
    ++B;
    if (B != E && (*B == '+' || *B == '-'))
      return std::nullopt;
  }
  double V = 0;
  auto [P, EC] = std::from_chars(B, E, V);
  if (P != E || B == E)
    return std::nullopt;
  if (EC == std::errc())
    return V;
  if (EC != std::errc::result_out_of_range)
    return std::nullopt;
  bool Neg = *B == '-';
  StringRef Digits(Neg ? B + 1 : B, E - B - Neg);
  if (isUnderflow(Digits))
    return Neg ? -0.0 : 0.0;
  double Inf = std::numeric_limits<double>::infinity();
  return Neg ? -Inf : Inf;
}

std::optional<int64_t> parseWhole(StringRef Text) {
  const char *B = Text.begin(), *E = Text.end();
  if (B != E && *B == '+' && B + 1 != E && B[1] != '-' && B[1] != '+')
    ++B;
  int64_t I = 0;
  auto [P, EC] = std::from_chars(B, E, I);
  if (EC == std::errc() && P == E && B != E)
    return I;
  std::optional<double> D = parseNumber(Text);
  // 2^63 is exactly representable; every double below it in magnitude with a
  // zero fraction fits in int64_t.
  constexpr double Limit = 9223372036854775808.0;
  if (!D || !std::isfinite(*D) || *D != std::trunc(*D) || *D >= Limit ||
      *D < -Limit)
    return std::nullopt;
  return static_cast<int64_t>(*D);
}

std::optional<bool> parseBool(StringRef Text) {
  if (Text == "TRUE" || Text == "T" || Text == "true" || Text == "True" ||
      Text == "1")
    return true;
  if (Text == "FALSE" || Text == "F" || Text == "false" || Text == "False" ||
      Text == "0")
    return false;
  return std::nullopt;
}

std::string formatNumber(double V) {
  char Buf[64];
  auto [P, EC] = std::to_chars(Buf, Buf + sizeof(Buf), V);
  if (EC != std::errc())
    return "?";
  return std::string(Buf, P);
}

std::string printable(StringRef Text, size_t MaxBytes) {
  size_t Cut = Text.size();
  bool Truncated = false;
  if (Cut > MaxBytes) {
    Cut = MaxBytes;
    // Back up to the start of a UTF-8 sequence.
    while (Cut > 0 && (static_cast<unsigned char>(Text[Cut]) & 0xC0) == 0x80)
      --Cut;
    Truncated = true;
  }
  static const char Hex[] = "0123456789abcdef";
  std::string Out;
  for (char C : Text.take_front(Cut)) {
    unsigned char U = static_cast<unsigned char>(C);
    if (U < 0x20 || U == 0x7F) {
      Out += "\\x";
      Out += Hex[U >> 4];
      Out += Hex[U & 15];
    } else {
      Out += C;
    }
  }
  if (Truncated)
    Out += "...";
  return Out;
}

std::string quoteCell(StringRef Text) {
  return "'" + printable(Text, 40) + "'";
}

} // namespace sstat::runtime::csv
