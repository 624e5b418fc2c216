//===- CsvParallelTest.cpp - Big files read in pieces, one per thread -----===//
//
// A big file is cut at record ends and its pieces read on several threads.
// These tests check that the cut never falls inside a quoted field, that the
// result is the same with one thread or several, and that an error anywhere
// (also one that makes the cut unreliable, like a stray quote) gets the same
// message, with the same row number, as a sequential read would give.
//
//===----------------------------------------------------------------------===//

#include "CsvLexer.h"
#include "CsvTestUtil.h"

#include <gtest/gtest.h>

#include <random>

using namespace sstat::runtime;
using namespace sstat::runtime::test;

namespace {

const TableSchema Schema{
    {key("id"), num("x", -1e6, 1e6),
     factor("note", {"plain", "a,b", "two\nlines", "say \"hi\""}),
     integer("n", 0, 1000000), boolean("b")}};

/// About 6 MB of rows; quoted fields with line breaks are common, so cuts
/// land next to them.
std::string bigCsv(size_t Rows = 120000) {
  std::mt19937_64 Rng(7);
  const char *Notes[] = {"plain", "\"a,b\"", "\"two\nlines\"",
                         "\"say \"\"hi\"\"\""};
  std::string S = "id,x,note,n,b\r\n";
  for (size_t R = 0; R < Rows; ++R) {
    S += "\"id," + std::to_string(R) + "\",";
    S += std::to_string(static_cast<int64_t>(Rng() % 2000000) - 1000000) + "." +
         std::to_string(Rng() % 1000) + ",";
    S += Notes[Rng() % 4];
    S += "," + std::to_string(R) + "," + (Rng() % 2 ? "TRUE" : "F");
    S += R % 3 ? "\n" : "\r\n";
  }
  return S;
}

CsvOptions threads(unsigned N) {
  CsvOptions O;
  O.Threads = N;
  return O;
}

TEST(CsvParallel, CutsFallAtRecordEnds) {
  std::string S = bigCsv();
  llvm::StringRef Data = llvm::StringRef(S).split('\n').second;
  std::vector<llvm::StringRef> Pieces = csv::splitAtRecordEnds(Data, 5);
  ASSERT_EQ(Pieces.size(), 5u);
  std::string Joined;
  for (size_t K = 0; K < Pieces.size(); ++K) {
    Joined += Pieces[K].str();
    if (K + 1 < Pieces.size()) {
      ASSERT_TRUE(Pieces[K].endswith("\n"));
      ASSERT_EQ(Pieces[K].count('"') % 2, 0u);
      // Each piece starts with a record: its key.
      ASSERT_TRUE(Pieces[K + 1].startswith("\"id,")) << K;
    }
  }
  EXPECT_EQ(Joined, Data.str());
  // Nothing to cut at: one piece.
  EXPECT_EQ(csv::splitAtRecordEnds("1,2", 4).size(), 1u);
  EXPECT_EQ(csv::splitAtRecordEnds("", 4).size(), 1u);
}

TEST(CsvParallel, SameResultWithOneThreadOrMany) {
  std::string S = bigCsv();
  llvm::Expected<LoadedTable> One =
      loadCsvBuffer(S, "t.csv", Schema, threads(1));
  llvm::Expected<LoadedTable> Many =
      loadCsvBuffer(S, "t.csv", Schema, threads(4));
  ASSERT_TRUE(bool(One)) << llvm::toString(One.takeError());
  ASSERT_TRUE(bool(Many)) << llvm::toString(Many.takeError());
  ASSERT_EQ(One->Rows, 120000u);
  ASSERT_EQ(Many->Rows, One->Rows);
  for (size_t J = 0; J < Schema.Columns.size(); ++J) {
    const LoadedColumn &A = One->Columns[J], &B = Many->Columns[J];
    EXPECT_EQ(A.Num, B.Num);
    EXPECT_EQ(A.Int, B.Int);
    EXPECT_EQ(A.Bool, B.Bool);
    EXPECT_EQ(A.Code, B.Code);
    EXPECT_EQ(A.Key, B.Key);
    EXPECT_EQ(A.Missing, B.Missing);
  }
  // Rows are in file order.
  for (size_t R = 0; R < Many->Rows; ++R)
    ASSERT_EQ(Many->Columns[3].Int[R], static_cast<int64_t>(R));
}

TEST(CsvParallel, ErrorsNameTheRowOfTheWholeFile) {
  std::string S = bigCsv();
  // The last row: row 120001 of the file.
  std::string Bad = S + "\"id,x\",5,plain,7,maybe\n";
  EXPECT_EQ(loadError(Bad, Schema, "t.csv", threads(4)),
            "t.csv:120002:5 (column 'b'): expected TRUE or FALSE, got 'maybe'");
  // A blank line near the end, then more rows.
  EXPECT_EQ(
      loadError(S + "\n\"id,y\",1,plain,2,T\n", Schema, "t.csv", threads(4)),
      "t.csv:120002: blank line in the middle of the file");
  // Blank lines at the very end are fine.
  EXPECT_EQ(loadError(S + "\n\r\n", Schema, "t.csv", threads(4)), "<loaded>");
}

TEST(CsvParallel, StrayQuoteEarlyIsReportedWhereItIs) {
  // A quote inside an unquoted field in row 3 flips the parity the cuts rely
  // on; the message must still be the sequential one.
  std::string S = bigCsv();
  size_t Data = S.find('\n') + 1;
  S.insert(Data, "\"id,a\",1,plain,0,T\n\"id,b\",1\"2,plain,0,T\n");
  EXPECT_EQ(loadError(S, Schema, "t.csv", threads(4)),
            "t.csv:3:2 (column 'x'): a '\"' inside an unquoted field; quote "
            "the whole field and double the quotes inside it");
}

} // namespace
