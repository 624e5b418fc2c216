//===- CsvLexer.h - Splitting a CSV buffer into fields ----------*- C++ -*-===//
//
// The tokenizer under the CSV loader: it walks a buffer once, hands out one
// field at a time and says whether a comma or a line end followed it. Fields
// may be RFC 4180 quoted ("a,b", "say ""hi"""), in which case commas and
// line breaks inside them are data; a quoted field with a doubled quote is
// copied once into a scratch string, every other field is a view into the
// buffer. Line ends are LF or CRLF; the end of the buffer ends the last
// record whether or not a line end precedes it.
//
// The lexer also checks that the bytes are text: no NUL byte and only
// well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF). ASCII, the common case, costs one table look-up per byte.
//
// It knows nothing about rows, columns or the schema: on an error it stops
// and reports what went wrong; the loader adds the row and column.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_LIB_CSVLEXER_H
#define SSTAT_RUNTIME_LIB_CSVLEXER_H

#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace sstat::runtime::csv {

/// What followed the field just read.
enum class Next : uint8_t {
  Field,     ///< a comma: another field of the same record follows
  RecordEnd, ///< a line end or the end of the buffer
  Error,     ///< malformed input; see Lexer::error()
};

/// Why the lexer stopped.
enum class LexError : uint8_t {
  NulByte,
  BadUtf8,
  QuoteInUnquoted,
  TextAfterQuote,
  UnterminatedQuote,
  StrayCR,
};

/// One field: its value (quotes removed, "" unescaped) and whether it was
/// quoted (a quoted NA is not the missing value for every kind).
struct Field {
  llvm::StringRef Text;
  bool Quoted = false;
};

/// Returns the length of the well-formed UTF-8 sequence that starts at \p P
/// (a byte >= 0x80), or 0 if it is malformed or runs past \p E.
inline unsigned utf8SequenceLength(const unsigned char *P,
                                   const unsigned char *E) {
  unsigned char C = P[0];
  auto Cont = [&](unsigned I, unsigned char Lo = 0x80,
                  unsigned char Hi = 0xBF) {
    return P + I < E && P[I] >= Lo && P[I] <= Hi;
  };
  if (C >= 0xC2 && C <= 0xDF)
    return Cont(1) ? 2 : 0;
  if (C >= 0xE0 && C <= 0xEF) {
    unsigned char Lo = C == 0xE0 ? 0xA0 : 0x80; // no overlong forms
    unsigned char Hi = C == 0xED ? 0x9F : 0xBF; // no surrogates
    return Cont(1, Lo, Hi) && Cont(2) ? 3 : 0;
  }
  if (C >= 0xF0 && C <= 0xF4) {
    unsigned char Lo = C == 0xF0 ? 0x90 : 0x80; // no overlong forms
    unsigned char Hi = C == 0xF4 ? 0x8F : 0xBF; // nothing past U+10FFFF
    return Cont(1, Lo, Hi) && Cont(2) && Cont(3) ? 4 : 0;
  }
  return 0;
}

/// How the lexer treats each byte outside quotes.
enum CharClass : uint8_t { Plain, Comma, LF, CR, Quote, Nul, High };

constexpr std::array<CharClass, 256> makeCharClasses() {
  std::array<CharClass, 256> T{};
  for (unsigned I = 0x80; I < 256; ++I)
    T[I] = High;
  T[','] = Comma;
  T['\n'] = LF;
  T['\r'] = CR;
  T['"'] = Quote;
  T[0] = Nul;
  return T;
}

inline constexpr std::array<CharClass, 256> Class = makeCharClasses();

/// A forward-only reader of fields.
class Lexer {
public:
  explicit Lexer(llvm::StringRef Buffer)
      : Cur(Buffer.begin()), End(Buffer.end()) {}

  /// True once the whole buffer has been read.
  bool atEnd() const { return Cur == End; }
  /// True at a line end where a record should start (a blank line).
  bool atBlankLine() const {
    return Cur != End && (*Cur == '\n' || *Cur == '\r');
  }
  /// True if nothing but line-end characters remain.
  bool restIsBlank() const {
    for (const char *P = Cur; P != End; ++P)
      if (*P != '\n' && *P != '\r')
        return false;
    return true;
  }
  /// The unread rest of the buffer.
  llvm::StringRef rest() const { return llvm::StringRef(Cur, End - Cur); }

  /// Reads the next field into \p F. A field that needs unescaping is built
  /// in \p Scratch, which must outlive the use of F.Text.
  Next read(Field &F, std::string &Scratch) {
    F.Quoted = false;
    if (Cur != End && *Cur == '"')
      return readQuoted(F, Scratch);
    const char *Start = Cur;
    for (;;) {
      skipPlain();
      if (Cur == End) {
        F.Text = llvm::StringRef(Start, Cur - Start);
        return Next::RecordEnd;
      }
      switch (Class[static_cast<unsigned char>(*Cur)]) {
      case Comma:
        F.Text = llvm::StringRef(Start, Cur - Start);
        ++Cur;
        return Next::Field;
      case LF:
        F.Text = llvm::StringRef(Start, Cur - Start);
        ++Cur;
        return Next::RecordEnd;
      case CR:
        if (Cur + 1 == End || Cur[1] != '\n')
          return fail(LexError::StrayCR);
        F.Text = llvm::StringRef(Start, Cur - Start);
        Cur += 2;
        return Next::RecordEnd;
      case Quote:
        return fail(LexError::QuoteInUnquoted);
      case Nul:
        return fail(LexError::NulByte);
      case High:
        if (!skipUtf8())
          return fail(LexError::BadUtf8);
        continue;
      case Plain:
        break;
      }
    }
  }

  /// Why the last read() returned Next::Error.
  LexError error() const { return Err; }

private:
  Next fail(LexError E) {
    Err = E;
    return Next::Error;
  }

  /// Advances to the next byte that is not Plain (or to the end). Eight
  /// bytes at a time: every special byte is below ',' + 1 or has its high
  /// bit set, so one subtraction flags the candidates; the lowest flagged
  /// byte is exact (a borrow only spreads upwards) and is then looked up.
  void skipPlain() {
    if constexpr (std::endian::native == std::endian::little) {
      constexpr uint64_t Ones = 0x0101010101010101ULL;
      constexpr uint64_t Highs = 0x8080808080808080ULL;
      static_assert(',' < '-' && '\n' < '-' && '\r' < '-' && '"' < '-');
      while (End - Cur >= 8) {
        uint64_t V;
        std::memcpy(&V, Cur, 8);
        uint64_t M = ((V - Ones * '-') | V) & Highs;
        if (!M) {
          Cur += 8;
          continue;
        }
        Cur += std::countr_zero(M) >> 3;
        if (Class[static_cast<unsigned char>(*Cur)] != Plain)
          return;
        ++Cur; // a plain byte below '-', such as '+' or ' '
      }
    }
    while (Cur != End && Class[static_cast<unsigned char>(*Cur)] == Plain)
      ++Cur;
  }

  bool skipUtf8() {
    unsigned N =
        utf8SequenceLength(reinterpret_cast<const unsigned char *>(Cur),
                           reinterpret_cast<const unsigned char *>(End));
    Cur += N;
    return N != 0;
  }

  /// Reads a field that starts with a quote, up to and including what
  /// follows its closing quote.
  Next readQuoted(Field &F, std::string &Scratch) {
    F.Quoted = true;
    ++Cur; // the opening quote
    const char *Start = Cur;
    bool Escaped = false;
    for (;;) {
      while (Cur != End && *Cur != '"' && *Cur != 0 &&
             static_cast<unsigned char>(*Cur) < 0x80)
        ++Cur;
      if (Cur == End)
        return fail(LexError::UnterminatedQuote);
      if (*Cur == 0)
        return fail(LexError::NulByte);
      if (*Cur != '"') {
        if (!skipUtf8())
          return fail(LexError::BadUtf8);
        continue;
      }
      if (Cur + 1 != End && Cur[1] == '"') { // "" stands for one quote
        Escaped = true;
        Cur += 2;
        continue;
      }
      break;
    }
    llvm::StringRef Raw(Start, Cur - Start);
    ++Cur; // the closing quote
    if (Escaped) {
      Scratch.clear();
      for (size_t I = 0; I < Raw.size(); ++I) {
        Scratch.push_back(Raw[I]);
        if (Raw[I] == '"')
          ++I; // skip the second quote of the pair
      }
      F.Text = Scratch;
    } else {
      F.Text = Raw;
    }
    if (Cur == End)
      return Next::RecordEnd;
    switch (*Cur) {
    case ',':
      ++Cur;
      return Next::Field;
    case '\n':
      ++Cur;
      return Next::RecordEnd;
    case '\r':
      if (Cur + 1 != End && Cur[1] == '\n') {
        Cur += 2;
        return Next::RecordEnd;
      }
      return fail(LexError::StrayCR);
    default:
      return fail(LexError::TextAfterQuote);
    }
  }

  const char *Cur;
  const char *End;
  LexError Err = LexError::NulByte;
};

/// Cuts \p Data (whole records) into at most \p Pieces consecutive pieces of
/// about equal size, each cut just after a line feed preceded by an even
/// number of quotes. In a well-formed file that is exactly the end of a
/// record (inside a quoted field the count is odd: the opening quote plus
/// pairs), so the pieces can be read independently and give what reading
/// the whole would. A malformed file may be cut elsewhere, so a caller that
/// finds an error in any piece must read the whole to report it. Returns
/// fewer pieces when no such line feed lies near a target.
inline std::vector<llvm::StringRef> splitAtRecordEnds(llvm::StringRef Data,
                                                      unsigned Pieces) {
  constexpr size_t MaxSearch = size_t(1) << 20;
  std::vector<llvm::StringRef> Out;
  size_t Begin = 0, Scanned = 0, Quotes = 0;
  for (unsigned K = 1; K < Pieces; ++K) {
    size_t Target = Data.size() / Pieces * K;
    if (Target < Begin)
      continue;
    size_t Cut = llvm::StringRef::npos;
    for (size_t P = Target; P < Data.size() && P - Target < MaxSearch;) {
      size_t LF = Data.find('\n', P);
      if (LF == llvm::StringRef::npos)
        break;
      Quotes += std::count(Data.begin() + Scanned, Data.begin() + LF, '"');
      Scanned = LF;
      if (Quotes % 2 == 0) {
        Cut = LF + 1;
        break;
      }
      P = LF + 1;
    }
    if (Cut >= Data.size())
      break;
    Out.push_back(Data.slice(Begin, Cut));
    Begin = Cut;
  }
  Out.push_back(Data.drop_front(Begin));
  return Out;
}

} // namespace sstat::runtime::csv

#endif // SSTAT_RUNTIME_LIB_CSVLEXER_H
