//===- Csv.cpp - Loading a data owner's CSV against its schema ------------===//
//
// One pass over the file, mapped read-only. The header is matched against the
// schema first (every declared column present, no name twice), which gives a
// map from file position to schema column; other columns are skipped. Each
// data record is then split into fields, its field count checked, and each
// declared cell converted and checked, left to right, straight into the
// column vectors (reserved up front from a count of line ends). The first
// problem ends the load with a message that names the file, row, column and
// what was expected; see Csv.h for the format and the privacy rules.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/Csv.h"

#include "CsvCells.h"
#include "CsvLexer.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cmath>
#include <memory>

using namespace llvm;

namespace sstat::runtime {

namespace {

using csv::Field;
using csv::LexError;
using csv::Next;

Error makeError(const Twine &Msg) {
  return make_error<StringError>(Msg, inconvertibleErrorCode());
}

StringRef lexErrorText(LexError E) {
  switch (E) {
  case LexError::NulByte:
    return "the file contains a NUL byte; is it a binary file?";
  case LexError::BadUtf8:
    return "the file is not valid UTF-8 text";
  case LexError::QuoteInUnquoted:
    return "a '\"' inside an unquoted field; quote the whole field and "
           "double the quotes inside it";
  case LexError::TextAfterQuote:
    return "text after the closing quote of a quoted field";
  case LexError::UnterminatedQuote:
    return "a quoted field that is never closed";
  case LexError::StrayCR:
    return "a carriage return that is not followed by a line feed";
  }
  return "malformed CSV";
}

/// Checks the schema itself (the compiler should never produce a bad one).
Error checkSchema(StringRef Name, const TableSchema &S) {
  auto Bad = [&](const Twine &Msg) {
    return makeError(Name + ": invalid schema: " + Msg);
  };
  StringMap<bool> Seen;
  for (const ColumnSchema &C : S.Columns) {
    if (C.Name.empty())
      return Bad("a column has an empty name");
    if (!Seen.try_emplace(C.Name, true).second)
      return Bad("column '" + C.Name + "' is declared twice");
    switch (C.Kind) {
    case ColumnKind::Num:
    case ColumnKind::Int:
      if (!(C.Lo <= C.Hi))
        return Bad("column '" + C.Name + "' has the empty range [" +
                   csv::formatNumber(C.Lo) + ", " + csv::formatNumber(C.Hi) +
                   "]");
      break;
    case ColumnKind::Factor: {
      if (C.Levels.empty())
        return Bad("factor column '" + C.Name + "' has no levels");
      StringMap<bool> Levels;
      for (const std::string &L : C.Levels)
        if (L.empty() || !Levels.try_emplace(L, true).second)
          return Bad("factor column '" + C.Name +
                     "' has an empty or repeated level");
      break;
    }
    case ColumnKind::Bool:
    case ColumnKind::Key:
      break;
    }
  }
  return Error::success();
}

/// What a column accepts, as said in "expected ..., got ...".
std::string describeExpected(const ColumnSchema &C) {
  switch (C.Kind) {
  case ColumnKind::Num:
    return "a number in [" + csv::formatNumber(C.Lo) + ", " +
           csv::formatNumber(C.Hi) + "]";
  case ColumnKind::Int:
    return "a whole number in [" + csv::formatNumber(C.Lo) + ", " +
           csv::formatNumber(C.Hi) + "]";
  case ColumnKind::Bool:
    return "TRUE or FALSE";
  case ColumnKind::Factor: {
    constexpr size_t MaxShown = 12;
    std::string S = "one of the levels ";
    for (size_t I = 0; I < C.Levels.size() && I < MaxShown; ++I)
      S += (I ? ", " : "") + C.Levels[I];
    if (C.Levels.size() > MaxShown)
      S += ", ... (" + std::to_string(C.Levels.size()) + " levels)";
    return S;
  }
  case ColumnKind::Key:
    return "a key of 1 to " + std::to_string(MaxKeyBytes) + " bytes";
  }
  return "a value";
}

/// The header names, for "missing column" messages.
std::string listNames(const std::vector<std::string> &Names) {
  constexpr size_t MaxShown = 20;
  std::string S;
  for (size_t I = 0; I < Names.size() && I < MaxShown; ++I) {
    S += I ? ", " : "";
    S += Names[I].empty() ? std::string("''") : Names[I];
  }
  if (Names.size() > MaxShown)
    S += ", ... (" + std::to_string(Names.size()) + " columns)";
  return S;
}

bool isNA(const Field &F) { return F.Text == "NA"; }

class Loader {
public:
  Loader(StringRef Contents, StringRef Name, const TableSchema &S,
         const CsvOptions &O)
      : Lex(stripBOM(Contents)), Name(Name), S(S), O(O) {}

  Expected<LoadedTable> run();

private:
  static StringRef stripBOM(StringRef C) {
    C.consume_front("\xEF\xBB\xBF");
    return C;
  }

  /// An error at \p Row and, if nonzero, at 1-based file column \p Col.
  Error at(size_t Row, size_t Col, const Twine &Msg) const {
    std::string Where = (Name + ":" + Twine(Row)).str();
    if (Col) {
      Where += ":" + std::to_string(Col);
      if (Row > 1 && Col <= Header.size())
        Where += " (column '" + Header[Col - 1] + "')";
    }
    return makeError(Where + ": " + Msg);
  }

  Error readHeader();
  Error mapColumns();
  Error readRecord(size_t Row, size_t &NumFields);
  Error convert(size_t Row, size_t Col, const Field &F, LoadedColumn &L,
                unsigned SchemaIndex);
  Error missing(size_t Row, size_t Col, LoadedColumn &L);
  Error invalid(size_t Row, size_t Col, const Field &F,
                const ColumnSchema &C) const {
    std::string Got =
        F.Text.empty() ? std::string("an empty field") : csv::quoteCell(F.Text);
    return at(Row, Col, "expected " + describeExpected(C) + ", got " + Got);
  }

  csv::Lexer Lex;
  StringRef Name;
  const TableSchema &S;
  const CsvOptions &O;
  std::vector<std::string> Header;
  /// File position -> schema column, or -1 for a column the schema ignores.
  std::vector<int> FieldToColumn;
  /// Level -> code, for each Factor column (indexed by schema column).
  std::vector<StringMap<int32_t>> LevelCodes;
  std::vector<Field> Fields;
  /// One scratch string per field (and one for fields past the header's).
  std::vector<std::string> Scratch;
  LoadedTable T;
};

Error Loader::readHeader() {
  if (Lex.atEnd() || Lex.restIsBlank())
    return at(1, 0, "the file is empty; expected a header row naming the "
                    "columns");
  if (Lex.atBlankLine())
    return at(1, 0, "the header row is blank; the first line must name the "
                    "columns");
  std::string Tmp;
  for (;;) {
    Field F;
    Next N = Lex.read(F, Tmp);
    if (N == Next::Error)
      return at(1, Header.size() + 1, lexErrorText(Lex.error()));
    Header.push_back(F.Text.str());
    if (N == Next::RecordEnd)
      return Error::success();
  }
}

Error Loader::mapColumns() {
  StringMap<size_t> Position;
  for (size_t I = 0; I < Header.size(); ++I) {
    auto [It, New] = Position.try_emplace(Header[I], I);
    if (!New)
      return at(1, I + 1,
                "duplicate column '" + Header[I] +
                    "' in the header (also column " +
                    Twine(It->second + 1) + ")");
  }
  FieldToColumn.assign(Header.size(), -1);
  LevelCodes.resize(S.Columns.size());
  for (unsigned J = 0; J < S.Columns.size(); ++J) {
    const ColumnSchema &C = S.Columns[J];
    auto It = Position.find(C.Name);
    if (It == Position.end())
      return at(1, 0,
                "missing column '" + C.Name + "' in the header (found: " +
                    listNames(Header) + ")");
    FieldToColumn[It->second] = static_cast<int>(J);
    if (C.Kind == ColumnKind::Factor)
      for (size_t L = 0; L < C.Levels.size(); ++L)
        LevelCodes[J].try_emplace(C.Levels[L], static_cast<int32_t>(L));
  }
  return Error::success();
}

Error Loader::readRecord(size_t Row, size_t &NumFields) {
  size_t N = 0, Width = Header.size();
  for (;;) {
    Field F;
    Next Nx = Lex.read(F, Scratch[std::min(N, Width)]);
    if (Nx == Next::Error)
      return at(Row, N + 1, lexErrorText(Lex.error()));
    if (N < Width)
      Fields[N] = F;
    ++N;
    if (Nx == Next::RecordEnd)
      break;
  }
  NumFields = N;
  return Error::success();
}

Error Loader::missing(size_t Row, size_t Col, LoadedColumn &L) {
  if (!O.AllowNA)
    return at(Row, Col, "got NA, but missing values are not allowed");
  L.Missing.push_back(1);
  switch (L.Schema.Kind) {
  case ColumnKind::Num:
    L.Num.push_back(0);
    break;
  case ColumnKind::Int:
    L.Int.push_back(0);
    break;
  case ColumnKind::Bool:
    L.Bool.push_back(0);
    break;
  case ColumnKind::Factor:
    L.Code.push_back(-1);
    break;
  case ColumnKind::Key:
    return at(Row, Col, "got NA, but a key cannot be missing");
  }
  return Error::success();
}

Error Loader::convert(size_t Row, size_t Col, const Field &F, LoadedColumn &L,
                      unsigned SchemaIndex) {
  const ColumnSchema &C = L.Schema;
  switch (C.Kind) {
  case ColumnKind::Num: {
    // A quoted "NA" can only mean NA here, and so for Int and Bool.
    if (isNA(F))
      return missing(Row, Col, L);
    std::optional<double> V = csv::parseNumber(F.Text);
    if (!V || !(*V >= C.Lo && *V <= C.Hi))
      return invalid(Row, Col, F, C);
    L.Num.push_back(*V);
    break;
  }
  case ColumnKind::Int: {
    if (isNA(F))
      return missing(Row, Col, L);
    std::optional<int64_t> V = csv::parseWhole(F.Text);
    if (!V || !(static_cast<double>(*V) >= C.Lo &&
                static_cast<double>(*V) <= C.Hi))
      return invalid(Row, Col, F, C);
    L.Int.push_back(*V);
    break;
  }
  case ColumnKind::Bool: {
    if (isNA(F))
      return missing(Row, Col, L);
    std::optional<bool> V = csv::parseBool(F.Text);
    if (!V)
      return invalid(Row, Col, F, C);
    L.Bool.push_back(*V ? 1 : 0);
    break;
  }
  case ColumnKind::Factor: {
    // A quoted "NA" is a label (it may be a level: North America).
    if (!F.Quoted && isNA(F))
      return missing(Row, Col, L);
    const StringMap<int32_t> &Codes = LevelCodes[SchemaIndex];
    auto It = Codes.find(F.Text);
    if (It == Codes.end())
      return invalid(Row, Col, F, C);
    L.Code.push_back(It->second);
    break;
  }
  case ColumnKind::Key:
    // Never quote the key back: it may identify a person.
    if (!F.Quoted && isNA(F))
      return missing(Row, Col, L);
    if (F.Text.empty())
      return at(Row, Col, "got an empty key");
    if (F.Text.size() > MaxKeyBytes)
      return at(Row, Col,
                "key longer than " + Twine(uint64_t(MaxKeyBytes)) + " bytes");
    L.Key.emplace_back(F.Text.str());
    break;
  }
  L.Missing.push_back(0);
  return Error::success();
}

Expected<LoadedTable> Loader::run() {
  if (Error E = checkSchema(Name, S))
    return std::move(E);
  if (Error E = readHeader())
    return std::move(E);
  if (Error E = mapColumns())
    return std::move(E);

  // Every record but the last ends in a line feed, so this bounds the rows.
  StringRef Rest = Lex.rest();
  size_t Estimate = std::count(Rest.begin(), Rest.end(), '\n') + 1;
  T.Columns.resize(S.Columns.size());
  for (size_t J = 0; J < S.Columns.size(); ++J) {
    LoadedColumn &L = T.Columns[J];
    L.Schema = S.Columns[J];
    L.Missing.reserve(Estimate);
    switch (L.Schema.Kind) {
    case ColumnKind::Num:
      L.Num.reserve(Estimate);
      break;
    case ColumnKind::Int:
      L.Int.reserve(Estimate);
      break;
    case ColumnKind::Bool:
      L.Bool.reserve(Estimate);
      break;
    case ColumnKind::Factor:
      L.Code.reserve(Estimate);
      break;
    case ColumnKind::Key:
      L.Key.reserve(Estimate);
      break;
    }
  }

  const size_t Width = Header.size();
  Fields.resize(Width);
  Scratch.resize(Width + 1);
  for (size_t Row = 2;; ++Row) {
    if (Lex.atEnd())
      break;
    if (Lex.atBlankLine()) {
      if (Lex.restIsBlank())
        break;
      return at(Row, 0, "blank line in the middle of the file");
    }
    size_t N = 0;
    if (Error E = readRecord(Row, N))
      return std::move(E);
    if (N != Width)
      return at(Row, 0,
                "row " + Twine(uint64_t(Row)) + " has " + Twine(uint64_t(N)) +
                    (N == 1 ? " field" : " fields") + ", the header has " +
                    Twine(uint64_t(Width)));
    for (size_t I = 0; I < Width; ++I) {
      int J = FieldToColumn[I];
      if (J < 0)
        continue;
      if (Error E = convert(Row, I + 1, Fields[I], T.Columns[J],
                            static_cast<unsigned>(J)))
        return std::move(E);
    }
    ++T.Rows;
  }
  return std::move(T);
}

} // namespace

Expected<LoadedTable> loadCsvBuffer(StringRef Contents, StringRef DisplayName,
                                    const TableSchema &S, const CsvOptions &O) {
  return Loader(Contents, DisplayName, S, O).run();
}

Expected<LoadedTable> loadCsv(StringRef Path, const TableSchema &S,
                              const CsvOptions &O) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf =
      MemoryBuffer::getFile(Path, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!Buf)
    return make_error<StringError>("cannot open '" + Path +
                                       "': " + Buf.getError().message(),
                                   Buf.getError());
  return loadCsvBuffer((*Buf)->getBuffer(), Path, S, O);
}

} // namespace sstat::runtime
