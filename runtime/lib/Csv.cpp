//===- Csv.cpp - Loading a data owner's CSV against its schema ------------===//
//
// The file is mapped read-only. The header is matched against the schema
// first (every declared column present, no name twice), which gives a map
// from file position to schema column; other columns are skipped. Each data
// record is then split into fields, its field count checked (so a row with a
// field missing is reported as such, not as a shifted value), and each
// declared cell converted and checked, left to right, straight into column
// vectors reserved from a count of line ends. The first problem ends the
// load with a message naming the file, row, column and what was expected;
// see Csv.h for the format and the privacy rules.
//
// A big file is cut at record ends into one piece per core, read on threads
// and concatenated. The cuts rely on the quotes being well-formed, so if any
// piece fails the whole file is read again on one thread: the error reported
// is always the first in file order, with its true row number.
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
#include <system_error>
#include <thread>

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
    S += Names[I].empty() ? std::string("''") : csv::printable(Names[I], 64);
  }
  if (Names.size() > MaxShown)
    S += ", ... (" + std::to_string(Names.size()) + " columns)";
  return S;
}

bool isNA(const Field &F) { return F.Text == "NA"; }

/// Makes room for \p Rows rows in the vectors \p L uses.
void reserveRows(LoadedColumn &L, size_t Rows) {
  L.Missing.reserve(Rows);
  switch (L.Schema.Kind) {
  case ColumnKind::Num:
    L.Num.reserve(Rows);
    break;
  case ColumnKind::Int:
    L.Int.reserve(Rows);
    break;
  case ColumnKind::Bool:
    L.Bool.reserve(Rows);
    break;
  case ColumnKind::Factor:
    L.Code.reserve(Rows);
    break;
  case ColumnKind::Key:
    L.Key.reserve(Rows);
    break;
  }
}

/// Sets up empty columns for \p S with room for \p Rows rows.
std::vector<LoadedColumn> makeColumns(const TableSchema &S, size_t Rows) {
  std::vector<LoadedColumn> Cols(S.Columns.size());
  for (size_t J = 0; J < S.Columns.size(); ++J) {
    Cols[J].Schema = S.Columns[J];
    reserveRows(Cols[J], Rows);
  }
  return Cols;
}

/// Appends the rows of \p From to \p To.
void append(LoadedColumn &To, LoadedColumn &&From) {
  auto Move = [](auto &Dst, auto &Src) {
    Dst.insert(Dst.end(), std::make_move_iterator(Src.begin()),
               std::make_move_iterator(Src.end()));
  };
  Move(To.Num, From.Num);
  Move(To.Int, From.Int);
  Move(To.Bool, From.Bool);
  Move(To.Code, From.Code);
  Move(To.Key, From.Key);
  Move(To.Missing, From.Missing);
}

/// A stretch of whole records and what reading it gave.
struct Chunk {
  StringRef Text;
  /// The row number of its first record (exact only for the first chunk).
  size_t FirstRow = 2;
  /// Whether blank lines may end it (only the end of the file may).
  bool IsLast = true;
  /// The bytes of records its columns should have room for: the first
  /// chunk's columns become the result, so they are sized for the whole.
  size_t ReserveFor = 0;
  size_t Rows = 0;
  std::vector<LoadedColumn> Columns;
};

class Loader {
public:
  Loader(StringRef Contents, StringRef Name, const TableSchema &S,
         const CsvOptions &O)
      : Contents(stripBOM(Contents)), Name(Name), S(S), O(O) {}

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
        Where += " (column '" + csv::printable(Header[Col - 1], 64) + "')";
    }
    return makeError(Where + ": " + Msg);
  }

  Error readHeader(csv::Lexer &Lex);
  Error mapColumns();
  Error readChunk(Chunk &C) const;
  Error convert(size_t Row, size_t Col, const Field &F, LoadedColumn &L,
                unsigned SchemaIndex) const;
  Error missing(size_t Row, size_t Col, LoadedColumn &L) const;
  Error invalid(size_t Row, size_t Col, const Field &F,
                const ColumnSchema &C) const {
    std::string Got =
        F.Text.empty() ? std::string("an empty field") : csv::quoteCell(F.Text);
    return at(Row, Col, "expected " + describeExpected(C) + ", got " + Got);
  }

  StringRef Contents;
  StringRef Name;
  const TableSchema &S;
  const CsvOptions &O;
  // Set up by the header, then only read (by several threads at once).
  std::vector<std::string> Header;
  /// File position -> schema column, or -1 for a column the schema ignores.
  std::vector<int> FieldToColumn;
  /// Level -> code, for each Factor column (indexed by schema column).
  std::vector<StringMap<int32_t>> LevelCodes;
};

Error Loader::readHeader(csv::Lexer &Lex) {
  if (Lex.atEnd() || Lex.restIsBlank())
    return at(1, 0,
              "the file is empty; expected a header row naming the "
              "columns");
  if (Lex.atBlankLine())
    return at(1, 0,
              "the header row is blank; the first line must name the "
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
                "duplicate column '" + csv::printable(Header[I], 64) +
                    "' in the header (also column " + Twine(It->second + 1) +
                    ")");
  }
  FieldToColumn.assign(Header.size(), -1);
  LevelCodes.resize(S.Columns.size());
  for (unsigned J = 0; J < S.Columns.size(); ++J) {
    const ColumnSchema &C = S.Columns[J];
    auto It = Position.find(C.Name);
    if (It == Position.end())
      return at(1, 0,
                "missing column '" + C.Name +
                    "' in the header (found: " + listNames(Header) + ")");
    FieldToColumn[It->second] = static_cast<int>(J);
    if (C.Kind == ColumnKind::Factor)
      for (size_t L = 0; L < C.Levels.size(); ++L)
        LevelCodes[J].try_emplace(C.Levels[L], static_cast<int32_t>(L));
  }
  return Error::success();
}

Error Loader::missing(size_t Row, size_t Col, LoadedColumn &L) const {
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
                      unsigned SchemaIndex) const {
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
    if (!V ||
        !(static_cast<double>(*V) >= C.Lo && static_cast<double>(*V) <= C.Hi))
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

Error Loader::readChunk(Chunk &C) const {
  // Every record but the last ends in a line feed, so this bounds the rows
  // (and scaled to ReserveFor, estimates them).
  size_t Estimate = std::count(C.Text.begin(), C.Text.end(), '\n') + 1;
  if (C.ReserveFor > C.Text.size() && !C.Text.empty())
    Estimate = static_cast<size_t>(static_cast<double>(Estimate) *
                                   static_cast<double>(C.ReserveFor) /
                                   static_cast<double>(C.Text.size()) * 1.05);
  C.Columns = makeColumns(S, Estimate);
  const size_t Width = Header.size();
  std::vector<Field> Fields(Width);
  // One scratch string per field, and one for fields past the header's.
  std::vector<std::string> Scratch(Width + 1);
  csv::Lexer Lex(C.Text);
  for (size_t Row = C.FirstRow;; ++Row) {
    if (Lex.atEnd())
      return Error::success();
    if (Lex.atBlankLine()) {
      if (C.IsLast && Lex.restIsBlank())
        return Error::success();
      return at(Row, 0, "blank line in the middle of the file");
    }
    size_t N = 0;
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
    if (N != Width)
      return at(Row, 0,
                "row " + Twine(uint64_t(Row)) + " has " + Twine(uint64_t(N)) +
                    (N == 1 ? " field" : " fields") + ", the header has " +
                    Twine(uint64_t(Width)));
    for (size_t I = 0; I < Width; ++I) {
      int J = FieldToColumn[I];
      if (J < 0)
        continue;
      if (Error E = convert(Row, I + 1, Fields[I], C.Columns[J],
                            static_cast<unsigned>(J)))
        return E;
    }
    ++C.Rows;
  }
}

/// How many pieces to read \p Bytes of records in, one per thread.
unsigned chooseThreads(size_t Bytes, unsigned Requested) {
  constexpr size_t MinBytesPerThread = size_t(1) << 20;
  size_t N =
      Requested ? Requested : std::min(std::thread::hardware_concurrency(), 8u);
  return static_cast<unsigned>(
      std::max<size_t>(1, std::min(N, Bytes / MinBytesPerThread)));
}

Expected<LoadedTable> Loader::run() {
  if (Error E = checkSchema(Name, S))
    return std::move(E);
  csv::Lexer Lex(Contents);
  if (Error E = readHeader(Lex))
    return std::move(E);
  if (Error E = mapColumns())
    return std::move(E);

  // Big files are read in pieces, one per core; see splitAtRecordEnds.
  StringRef Data = Lex.rest();
  std::vector<StringRef> Pieces =
      csv::splitAtRecordEnds(Data, chooseThreads(Data.size(), O.Threads));
  std::vector<Chunk> Chunks(Pieces.size());
  for (size_t K = 0; K < Pieces.size(); ++K) {
    Chunks[K].Text = Pieces[K];
    Chunks[K].IsLast = K + 1 == Pieces.size();
    Chunks[K].ReserveFor = K == 0 ? Data.size() : Pieces[K].size();
  }
  if (Chunks.size() > 1) {
    std::vector<char> Failed(Chunks.size(), 0);
    auto Read = [&](size_t K) {
      if (Error E = readChunk(Chunks[K])) {
        consumeError(std::move(E));
        Failed[K] = 1;
      }
    };
    std::vector<std::thread> Threads;
    size_t Started = 1;
    try {
      for (; Started < Chunks.size(); ++Started)
        Threads.emplace_back(Read, Started);
    } catch (const std::system_error &) {
      // No thread to be had: read the rest here.
    }
    Read(0);
    for (size_t K = Started; K < Chunks.size(); ++K)
      Read(K);
    for (std::thread &T : Threads)
      T.join();
    if (std::count(Failed.begin(), Failed.end(), 1) != 0) {
      // Read it all again in one piece, for the first error in file order.
      Chunks.assign(1, Chunk());
      Chunks[0].Text = Data;
    }
  }
  if (Chunks.size() == 1)
    if (Error E = readChunk(Chunks[0]))
      return std::move(E);

  LoadedTable T;
  for (const Chunk &C : Chunks)
    T.Rows += C.Rows;
  T.Columns = std::move(Chunks[0].Columns);
  for (size_t K = 1; K < Chunks.size(); ++K)
    for (size_t J = 0; J < T.Columns.size(); ++J) {
      if (K == 1)
        reserveRows(T.Columns[J], T.Rows);
      append(T.Columns[J], std::move(Chunks[K].Columns[J]));
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
