//===- CsvErrorsTest.cpp - Every message the CSV loader gives -------------===//
//
// One test per kind of bad input, each asserting the exact message: where
// (file:row:column and the column's name) and what was expected and found.
// Then what the loader accepts (quoting, line ends, NA, R's spellings of
// numbers and booleans), and the privacy rules: a message quotes only the
// offending cell, and never a key.
//
//===----------------------------------------------------------------------===//

#include "CsvTestUtil.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace sstat::runtime;
using namespace sstat::runtime::test;

namespace {

const TableSchema Region{
    {num("x", 0, 10), factor("region", {"north", "south", "east"})}};

//===-- Values ------------------------------------------------------------===//

TEST(CsvErrors, NumberOutOfRange) {
  TableSchema S{{num("mpg", 5, 50), num("cyl", 4, 8), num("disp", 50, 500)}};
  EXPECT_EQ(loadError("id,mpg,cyl,disp\n"
                      "a,21,6,160\n"
                      "b,22.8,4,108\n"
                      "c,21.4,6,258\n"
                      "d,18.7,8,40.5\n",
                      S, "mtcars.csv"),
            "mtcars.csv:5:4 (column 'disp'): expected a number in [50, 500], "
            "got '40.5'");
}

TEST(CsvErrors, NumberRangeIsInclusive) {
  EXPECT_EQ(loadError("x\n0\n10\n", {{num("x", 0, 10)}}), "<loaded>");
  EXPECT_EQ(loadError("x\n0\n10.000000000000002\n", {{num("x", 0, 10)}}),
            "t.csv:3:1 (column 'x'): expected a number in [0, 10], got "
            "'10.000000000000002'");
}

TEST(CsvErrors, NotANumber) {
  TableSchema S{{num("x", 0, 1)}};
  EXPECT_EQ(loadError("x\n0.5\nabc\n", S),
            "t.csv:3:1 (column 'x'): expected a number in [0, 1], got 'abc'");
  EXPECT_EQ(loadError("x\n0.5x\n", S),
            "t.csv:2:1 (column 'x'): expected a number in [0, 1], got '0.5x'");
  EXPECT_EQ(loadError("x\n 0.5\n", S),
            "t.csv:2:1 (column 'x'): expected a number in [0, 1], got ' 0.5'");
  EXPECT_EQ(loadError("x\n0x1\n", S),
            "t.csv:2:1 (column 'x'): expected a number in [0, 1], got '0x1'");
}

TEST(CsvErrors, InfAndNaNAreRejected) {
  TableSchema S{{num("x", -1e300, 1e300)}};
  EXPECT_EQ(loadError("x\nInf\n", S),
            "t.csv:2:1 (column 'x'): expected a number in [-1e+300, 1e+300], "
            "got 'Inf'");
  EXPECT_EQ(loadError("x\n-Inf\n", S),
            "t.csv:2:1 (column 'x'): expected a number in [-1e+300, 1e+300], "
            "got '-Inf'");
  EXPECT_EQ(loadError("x\nNaN\n", S),
            "t.csv:2:1 (column 'x'): expected a number in [-1e+300, 1e+300], "
            "got 'NaN'");
  EXPECT_EQ(loadError("x\n1e400\n", S),
            "t.csv:2:1 (column 'x'): expected a number in [-1e+300, 1e+300], "
            "got '1e400'");
  // Even an unbounded column cannot hold them.
  TableSchema All{{num("x", -INFINITY, INFINITY)}};
  EXPECT_EQ(loadError("x\nNaN\n", All),
            "t.csv:2:1 (column 'x'): expected a number in [-inf, inf], got "
            "'NaN'");
}

TEST(CsvErrors, EmptyNumber) {
  EXPECT_EQ(loadError("x,y\n1,\n", {{num("x", 0, 1), num("y", 0, 1)}}),
            "t.csv:2:2 (column 'y'): expected a number in [0, 1], got an "
            "empty field");
}

TEST(CsvErrors, WholeNumber) {
  TableSchema S{{integer("cyl", 4, 8)}};
  EXPECT_EQ(loadError("cyl\n4\n6.5\n", S),
            "t.csv:3:1 (column 'cyl'): expected a whole number in [4, 8], got "
            "'6.5'");
  EXPECT_EQ(loadError("cyl\n10\n", S),
            "t.csv:2:1 (column 'cyl'): expected a whole number in [4, 8], got "
            "'10'");
  EXPECT_EQ(loadError("cyl\n99999999999999999999\n", S),
            "t.csv:2:1 (column 'cyl'): expected a whole number in [4, 8], got "
            "'99999999999999999999'");
}

TEST(CsvErrors, Bool) {
  EXPECT_EQ(loadError("ok\nTRUE\nmaybe\n", {{boolean("ok")}}),
            "t.csv:3:1 (column 'ok'): expected TRUE or FALSE, got 'maybe'");
  EXPECT_EQ(loadError("ok\n2\n", {{boolean("ok")}}),
            "t.csv:2:1 (column 'ok'): expected TRUE or FALSE, got '2'");
}

TEST(CsvErrors, FactorLevel) {
  EXPECT_EQ(loadError("x,region\n1,north\n2,west\n", Region),
            "t.csv:3:2 (column 'region'): expected one of the levels north, "
            "south, east, got 'west'");
  // Levels match exactly: no case folding, no trimming.
  EXPECT_EQ(loadError("x,region\n1,North\n", Region),
            "t.csv:2:2 (column 'region'): expected one of the levels north, "
            "south, east, got 'North'");
  EXPECT_EQ(loadError("x,region\n1,north \n", Region),
            "t.csv:2:2 (column 'region'): expected one of the levels north, "
            "south, east, got 'north '");
}

TEST(CsvErrors, ManyLevelsAreAbbreviated) {
  std::vector<std::string> Levels;
  for (int I = 0; I < 15; ++I)
    Levels.push_back("l" + std::to_string(I));
  EXPECT_EQ(loadError("f\nzz\n", {{factor("f", Levels)}}),
            "t.csv:2:1 (column 'f'): expected one of the levels l0, l1, l2, "
            "l3, l4, l5, l6, l7, l8, l9, l10, l11, ... (15 levels), got 'zz'");
}

TEST(CsvErrors, MissingNotAllowed) {
  CsvOptions O;
  O.AllowNA = false;
  EXPECT_EQ(loadError("x,region\n1,north\nNA,south\n", Region, "t.csv", O),
            "t.csv:3:1 (column 'x'): got NA, but missing values are not "
            "allowed");
  EXPECT_EQ(loadError("x,region\n1,NA\n", Region, "t.csv", O),
            "t.csv:2:2 (column 'region'): got NA, but missing values are not "
            "allowed");
}

TEST(CsvErrors, LongCellIsCutAndControlBytesEscaped) {
  std::string Long(100, '9');
  EXPECT_EQ(loadError("x\n" + Long + "\n", {{num("x", 0, 1)}}),
            "t.csv:2:1 (column 'x'): expected a number in [0, 1], got '" +
                std::string(40, '9') + "...'");
  EXPECT_EQ(loadError("x\n\"a\tb\nc\"\n", {{num("x", 0, 1)}}),
            "t.csv:2:1 (column 'x'): expected a number in [0, 1], got "
            "'a\\x09b\\x0ac'");
  // Cut at a character boundary: 39 ASCII bytes, then a 2-byte character.
  std::string Utf8 = std::string(39, 'a') + "\xC3\xA9" + "zzz";
  EXPECT_EQ(loadError("x\n" + Utf8 + "\n", {{num("x", 0, 1)}}),
            "t.csv:2:1 (column 'x'): expected a number in [0, 1], got '" +
                std::string(39, 'a') + "...'");
}

//===-- Keys --------------------------------------------------------------===//

TEST(CsvErrors, EmptyKey) {
  EXPECT_EQ(loadError("id,x\nalice,1\n,2\n", {{key("id"), num("x", 0, 9)}}),
            "t.csv:3:1 (column 'id'): got an empty key");
}

TEST(CsvErrors, LongKeyIsNotEchoed) {
  std::string Id(65, 'k');
  std::string Msg =
      loadError("x,id\n1," + Id + "\n", {{key("id"), num("x", 0, 9)}});
  EXPECT_EQ(Msg, "t.csv:2:2 (column 'id'): key longer than 64 bytes");
  EXPECT_EQ(loadError("id\n" + std::string(64, 'k') + "\n", {{key("id")}}),
            "<loaded>");
}

TEST(CsvErrors, KeyCannotBeMissing) {
  EXPECT_EQ(loadError("id\nalice\nNA\n", {{key("id")}}),
            "t.csv:3:1 (column 'id'): got NA, but a key cannot be missing");
  // A quoted "NA" is a key like any other.
  llvm::Expected<LoadedTable> T =
      loadCsvBuffer("id\n\"NA\"\n", "t.csv", {{key("id")}});
  ASSERT_TRUE(bool(T));
  EXPECT_EQ(T->Columns[0].Key[0], "NA");
}

//===-- Header ------------------------------------------------------------===//

TEST(CsvErrors, MissingColumn) {
  EXPECT_EQ(loadError("id,cyl,disp\na,4,100\n",
                      {{num("mpg", 5, 50), integer("cyl", 4, 8)}},
                      "mtcars.csv"),
            "mtcars.csv:1: missing column 'mpg' in the header (found: id, cyl, "
            "disp)");
}

TEST(CsvErrors, MissingColumnListsAtMost20Names) {
  std::string Header;
  for (int I = 0; I < 25; ++I)
    Header += (I ? ",c" : "c") + std::to_string(I);
  EXPECT_EQ(loadError(Header + "\n", {{num("x", 0, 1)}}),
            "t.csv:1: missing column 'x' in the header (found: c0, c1, c2, c3, "
            "c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, "
            "c18, c19, ... (25 columns))");
}

TEST(CsvErrors, ColumnNamesAreCaseSensitive) {
  EXPECT_EQ(loadError("MPG\n21\n", {{num("mpg", 5, 50)}}),
            "t.csv:1: missing column 'mpg' in the header (found: MPG)");
}

TEST(CsvErrors, HeaderNamesArePrintedOnOneLine) {
  EXPECT_EQ(loadError("\"a\nb\",y\n1,2\n", {{num("x", 0, 9)}}),
            "t.csv:1: missing column 'x' in the header (found: a\\x0ab, y)");
  EXPECT_EQ(loadError("x,\"a\nb\"\n1,\"2\n", {{num("x", 0, 9)}}),
            "t.csv:2:2 (column 'a\\x0ab'): a quoted field that is never "
            "closed");
}

TEST(CsvErrors, DuplicateColumn) {
  EXPECT_EQ(loadError("x,y,x\n1,2,3\n", {{num("x", 0, 9)}}),
            "t.csv:1:3: duplicate column 'x' in the header (also column 1)");
  // Even one the schema does not use: which one was meant is unclear.
  EXPECT_EQ(loadError("x,y,y\n1,2,3\n", {{num("x", 0, 9)}}),
            "t.csv:1:3: duplicate column 'y' in the header (also column 2)");
}

//===-- Shape of the file -------------------------------------------------===//

TEST(CsvErrors, WrongFieldCount) {
  std::string Header = "a,b,c,d,e,f,g,h,i,j,k,l\n";
  std::string Good = "1,2,3,4,5,6,7,8,9,10,11,12\n";
  std::string Short = "1,2,3,4,5,6,7,8,9,10,11\n";
  TableSchema S{{num("a", 0, 99)}};
  EXPECT_EQ(loadError(Header + Good + Good + Good + Good + Good + Short, S),
            "t.csv:7: row 7 has 11 fields, the header has 12");
  EXPECT_EQ(loadError("a,b\n1,2,3\n", S),
            "t.csv:2: row 2 has 3 fields, the header has 2");
  EXPECT_EQ(loadError("a,b\n1\n", S),
            "t.csv:2: row 2 has 1 field, the header has 2");
}

TEST(CsvErrors, EmptyFile) {
  TableSchema S{{num("x", 0, 1)}};
  EXPECT_EQ(loadError("", S),
            "t.csv:1: the file is empty; expected a header row naming the "
            "columns");
  EXPECT_EQ(loadError("\n\r\n\n", S),
            "t.csv:1: the file is empty; expected a header row naming the "
            "columns");
  EXPECT_EQ(loadError("\xEF\xBB\xBF", S),
            "t.csv:1: the file is empty; expected a header row naming the "
            "columns");
  EXPECT_EQ(loadError("\nx\n1\n", S),
            "t.csv:1: the header row is blank; the first line must name the "
            "columns");
}

TEST(CsvErrors, FileDoesNotExist) {
  llvm::Expected<LoadedTable> T =
      loadCsv("/nonexistent/dir/x.csv", {{num("x", 0, 1)}});
  ASSERT_FALSE(T);
  EXPECT_EQ(llvm::toString(T.takeError()),
            "cannot open '/nonexistent/dir/x.csv': No such file or directory");
}

TEST(CsvErrors, BlankLineInTheMiddle) {
  TableSchema S{{num("x", 0, 9)}};
  EXPECT_EQ(loadError("x\n1\n\n2\n", S),
            "t.csv:3: blank line in the middle of the file");
  EXPECT_EQ(loadError("x\r\n1\r\n\r\n2\r\n", S),
            "t.csv:3: blank line in the middle of the file");
  // Blank lines at the end are fine.
  EXPECT_EQ(loadError("x\n1\n2\n\n\r\n\n", S), "<loaded>");
}

TEST(CsvErrors, NotUtf8) {
  TableSchema S{{factor("f", {"a", "b"}), num("x", 0, 9)}};
  EXPECT_EQ(loadError("f,x\na,1\nb\xFF,2\n", S),
            "t.csv:3:1 (column 'f'): the file is not valid UTF-8 text");
  // Latin-1 e-acute, an overlong '/', a surrogate, past U+10FFFF, truncated.
  for (const char *Bad :
       {"\xE9", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82"})
    EXPECT_EQ(loadError(std::string("f,x\na,") + Bad + "\n", S),
              "t.csv:2:2 (column 'x'): the file is not valid UTF-8 text")
        << "bytes " << Bad;
  // In a quoted field and in the header too.
  EXPECT_EQ(loadError("f,x\n\"a\xFF\",1\n", S),
            "t.csv:2:1 (column 'f'): the file is not valid UTF-8 text");
  EXPECT_EQ(loadError("f,x\xFF\n", S),
            "t.csv:1:2: the file is not valid UTF-8 text");
}

TEST(CsvErrors, NulByte) {
  TableSchema S{{num("x", 0, 9)}};
  EXPECT_EQ(loadError(std::string("x,y\n1,2\n3,\0\n", 12), S),
            "t.csv:3:2 (column 'y'): the file contains a NUL byte; is it a "
            "binary file?");
  EXPECT_EQ(loadError(std::string("x\n\"1\0\"\n", 7), S),
            "t.csv:2:1 (column 'x'): the file contains a NUL byte; is it a "
            "binary file?");
}

TEST(CsvErrors, Quotes) {
  TableSchema S{{num("x", 0, 9), num("y", 0, 9)}};
  EXPECT_EQ(loadError("x,y\n1,2\n3,\"4\n", S),
            "t.csv:3:2 (column 'y'): a quoted field that is never closed");
  EXPECT_EQ(loadError("x,y\n1,\"2\"3\n", S),
            "t.csv:2:2 (column 'y'): text after the closing quote of a quoted "
            "field");
  EXPECT_EQ(loadError("x,y\n1,2\"3\n", S),
            "t.csv:2:2 (column 'y'): a '\"' inside an unquoted field; quote "
            "the whole field and double the quotes inside it");
  EXPECT_EQ(loadError("x,y\n1,2\r3\n", S),
            "t.csv:2:2 (column 'y'): a carriage return that is not followed "
            "by a line feed");
}

TEST(CsvErrors, InvalidSchema) {
  EXPECT_EQ(loadError("x\n1\n", {{num("x", 5, 1)}}),
            "t.csv: invalid schema: column 'x' has the empty range [5, 1]");
  EXPECT_EQ(loadError("x\n1\n", {{num("x", 0, 1), boolean("x")}}),
            "t.csv: invalid schema: column 'x' is declared twice");
  EXPECT_EQ(loadError("x\n1\n", {{factor("x", {})}}),
            "t.csv: invalid schema: factor column 'x' has no levels");
  EXPECT_EQ(loadError("x\n1\n", {{factor("x", {"a", "a"})}}),
            "t.csv: invalid schema: factor column 'x' has an empty or repeated "
            "level");
}

//===-- Privacy -----------------------------------------------------------===//

TEST(CsvErrors, MessagesQuoteOnlyTheOffendingCell) {
  // Row 2 holds distinctive values; the errors are in row 3.
  TableSchema S{{key("id"), num("income", 0, 1e6)}};
  std::string Rows = "id,income\nsecret-person-7,123456.789\n";
  for (const std::string &Bad :
       {std::string("x,-5\n"), std::string(",5\n"), std::string("y,5,6\n"),
        std::string("z,\"5\n"), std::string("NA,5\n")}) {
    std::string Msg = loadError(Rows + Bad, S);
    EXPECT_NE(Msg, "<loaded>");
    EXPECT_EQ(Msg.find("secret-person-7"), std::string::npos) << Msg;
    EXPECT_EQ(Msg.find("123456"), std::string::npos) << Msg;
  }
  // Nor is the offending row's own key quoted when another cell is bad.
  std::string Msg = loadError(Rows + "bob-the-patient,-1\n", S);
  EXPECT_EQ(Msg, "t.csv:3:2 (column 'income'): expected a number in [0, "
                 "1e+06], got '-1'");
}

//===-- What is accepted --------------------------------------------------===//

TEST(CsvAccepts, QuotingCrlfBomAndNoFinalNewline) {
  TableSchema S{
      {factor("f", {"a,b", "say \"hi\"", "two\nlines"}), num("x", 0, 9)}};
  llvm::Expected<LoadedTable> T = loadCsvBuffer(
      "\xEF\xBB\xBF\"f\",x\r\n\"a,b\",1\r\n\"say \"\"hi\"\"\",\"2\"\r\n"
      "\"two\nlines\",3\r\n\"a,b\",4",
      "t.csv", S);
  ASSERT_TRUE(bool(T)) << llvm::toString(T.takeError());
  EXPECT_EQ(T->Rows, 4u);
  EXPECT_EQ(T->Columns[0].Code, (std::vector<int32_t>{0, 1, 2, 0}));
  EXPECT_EQ(T->Columns[1].Num, (std::vector<double>{1, 2, 3, 4}));
}

TEST(CsvAccepts, RowsCountRecordsNotLines) {
  // The quoted line break does not start a row: the bad cell is on row 3.
  EXPECT_EQ(loadError("s,x\n\"a\nb\",1\nc,10\n", {{num("x", 0, 9)}}),
            "t.csv:3:2 (column 'x'): expected a number in [0, 9], got '10'");
}

TEST(CsvAccepts, HeaderOnly) {
  llvm::Expected<LoadedTable> T =
      loadCsvBuffer("x,y\n", "t.csv", {{num("y", 0, 1)}});
  ASSERT_TRUE(bool(T));
  EXPECT_EQ(T->Rows, 0u);
  EXPECT_TRUE(T->Columns[0].Num.empty());
}

TEST(CsvAccepts, NumberFormats) {
  llvm::Expected<LoadedTable> T =
      loadCsvBuffer("x\n1\n-2.5\n1e-3\n+4\n.5\n-0\n1E2\n1e-400\n\"7\"\n",
                    "t.csv", {{num("x", -10, 100)}});
  ASSERT_TRUE(bool(T)) << llvm::toString(T.takeError());
  EXPECT_EQ(T->Columns[0].Num,
            (std::vector<double>{1, -2.5, 1e-3, 4, 0.5, -0.0, 100, 0, 7}));
  EXPECT_TRUE(std::signbit(T->Columns[0].Num[5]));
}

TEST(CsvAccepts, WholeNumberFormats) {
  llvm::Expected<LoadedTable> T =
      loadCsvBuffer("n\n4\n-3\n+2\n4.0\n1e3\n-9223372036854775808\n", "t.csv",
                    {{integer("n", -1e19, 1e19)}});
  ASSERT_TRUE(bool(T)) << llvm::toString(T.takeError());
  EXPECT_EQ(T->Columns[0].Int,
            (std::vector<int64_t>{4, -3, 2, 4, 1000, INT64_MIN}));
}

TEST(CsvAccepts, BoolSpellings) {
  llvm::Expected<LoadedTable> T = loadCsvBuffer(
      "b\nTRUE\nFALSE\nT\nF\ntrue\nfalse\nTrue\nFalse\n1\n0\nNA\n", "t.csv",
      {{boolean("b")}});
  ASSERT_TRUE(bool(T)) << llvm::toString(T.takeError());
  EXPECT_EQ(T->Columns[0].Bool,
            (std::vector<uint8_t>{1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0}));
  EXPECT_EQ(T->Columns[0].Missing,
            (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
}

TEST(CsvAccepts, NAInEveryKindButKey) {
  TableSchema S{{num("n", 0, 1), integer("i", 0, 1), boolean("b"),
                 factor("f", {"NA", "x"})}};
  llvm::Expected<LoadedTable> T = loadCsvBuffer(
      "n,i,b,f\nNA,NA,NA,NA\n\"NA\",\"NA\",\"NA\",\"NA\"\n", "t.csv", S);
  ASSERT_TRUE(bool(T)) << llvm::toString(T.takeError());
  // Unquoted NA is missing everywhere; quoted, it is still missing for
  // numbers and booleans, but a label for a factor.
  for (size_t C = 0; C < 3; ++C)
    EXPECT_EQ(T->Columns[C].Missing, (std::vector<uint8_t>{1, 1}));
  EXPECT_EQ(T->Columns[3].Missing, (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(T->Columns[3].Code, (std::vector<int32_t>{-1, 0}));
}

TEST(CsvAccepts, ColumnsInAnyOrderAndExtrasIgnored) {
  llvm::Expected<LoadedTable> T =
      loadCsvBuffer("junk,b,a,more\nzz\xC3\xA9,2,1,\"q,\"\"\"\n", "t.csv",
                    {{num("a", 0, 9), num("b", 0, 9)}});
  ASSERT_TRUE(bool(T)) << llvm::toString(T.takeError());
  EXPECT_EQ(T->Columns[0].Num[0], 1.0);
  EXPECT_EQ(T->Columns[1].Num[0], 2.0);
}

TEST(CsvAccepts, FileIsNotModified) {
  llvm::SmallString<128> Path;
  int FD;
  ASSERT_FALSE(
      llvm::sys::fs::createTemporaryFile("sstat-csv", "csv", FD, Path));
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << "x\n1\n2\n";
  }
  llvm::sys::fs::file_status Before, After;
  ASSERT_FALSE(llvm::sys::fs::status(Path, Before));
  llvm::Expected<LoadedTable> T = loadCsv(Path, {{num("x", 0, 9)}});
  ASSERT_TRUE(bool(T)) << llvm::toString(T.takeError());
  EXPECT_EQ(T->Rows, 2u);
  ASSERT_FALSE(llvm::sys::fs::status(Path, After));
  EXPECT_EQ(Before.getSize(), After.getSize());
  EXPECT_EQ(Before.getLastModificationTime(), After.getLastModificationTime());
  llvm::sys::fs::remove(Path);
}

} // namespace
