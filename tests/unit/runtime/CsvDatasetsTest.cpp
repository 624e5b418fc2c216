//===- CsvDatasetsTest.cpp - Loading the shared R datasets ----------------===//
//
// Loads each real dataset in ../shared/datasets (exported from R) with the
// schema a script would declare for it, and checks row counts, exact values,
// sums and the NA counts the datasets' README states. Sums are compared to
// the same left-to-right sums computed from the files outside this code.
//
//===----------------------------------------------------------------------===//

#include "CsvTestUtil.h"

#include <gtest/gtest.h>

#include <numeric>

using namespace sstat::runtime;
using namespace sstat::runtime::test;

namespace {

std::string datasetPath(const char *File) {
  return std::string(SSTAT_DATASETS_DIR) + "/" + File;
}

/// Loads a dataset, failing the test with the loader's message on error.
LoadedTable load(const char *File, const TableSchema &S,
                 const CsvOptions &O = {}) {
  llvm::Expected<LoadedTable> T = loadCsv(datasetPath(File), S, O);
  if (!T) {
    ADD_FAILURE() << llvm::toString(T.takeError());
    return {};
  }
  return std::move(*T);
}

double sum(const std::vector<double> &V) {
  return std::accumulate(V.begin(), V.end(), 0.0);
}

int64_t sum(const std::vector<int64_t> &V) {
  return std::accumulate(V.begin(), V.end(), int64_t(0));
}

/// Rows with no missing cell in any of \p Cols.
size_t completeRows(const LoadedTable &T, const std::vector<size_t> &Cols) {
  size_t N = 0;
  for (size_t R = 0; R < T.Rows; ++R) {
    bool Complete = true;
    for (size_t C : Cols)
      Complete &= !T.Columns[C].Missing[R];
    N += Complete;
  }
  return N;
}

TableSchema mtcarsSchema() {
  // Declared in a different order from the file: results follow the schema.
  return {{boolean("am"), key("id"), num("mpg", 5, 50), integer("cyl", 4, 8),
           num("disp", 50, 500), integer("hp", 50, 400), num("drat", 2, 5),
           num("wt", 1, 6), num("qsec", 10, 25), boolean("vs"),
           integer("gear", 3, 5), integer("carb", 1, 8)}};
}

TEST(CsvDatasets, Mtcars) {
  LoadedTable T = load("mtcars.csv", mtcarsSchema());
  ASSERT_EQ(T.Rows, 32u);
  ASSERT_EQ(T.Columns.size(), 12u);
  const LoadedColumn &Am = T.Columns[0], &Id = T.Columns[1],
                     &Mpg = T.Columns[2], &Cyl = T.Columns[3],
                     &Wt = T.Columns[7];
  EXPECT_EQ(Am.Schema.Name, "am");
  EXPECT_EQ(Id.Key.front(), "Mazda RX4");
  EXPECT_EQ(Id.Key.back(), "Volvo 142E");
  EXPECT_EQ(Mpg.Num[0], 21.0);
  EXPECT_EQ(Mpg.Num[2], 22.8);
  EXPECT_EQ(Wt.Num[1], 2.875);
  EXPECT_EQ(Cyl.Int[30], 8);
  EXPECT_EQ(Am.Bool[0], 1u);
  EXPECT_EQ(Am.Bool[3], 0u);
  EXPECT_EQ(std::accumulate(Am.Bool.begin(), Am.Bool.end(), 0), 13);
  EXPECT_DOUBLE_EQ(sum(Mpg.Num), 642.8999999999999);
  for (const LoadedColumn &C : T.Columns) {
    EXPECT_EQ(C.Missing.size(), 32u);
    EXPECT_EQ(countMissing(C), 0u);
  }
  // Only the vector of the column's kind is filled.
  EXPECT_TRUE(Mpg.Int.empty() && Mpg.Key.empty() && Mpg.Code.empty());
}

TEST(CsvDatasets, MtcarsSubsetIgnoresOtherColumns) {
  LoadedTable T = load("mtcars.csv", {{num("qsec", 14, 23)}});
  ASSERT_EQ(T.Rows, 32u);
  ASSERT_EQ(T.Columns.size(), 1u);
  EXPECT_EQ(T.Columns[0].Num[30], 14.6);
}

TEST(CsvDatasets, Iris) {
  TableSchema S{{num("Sepal.Length", 0, 10), num("Sepal.Width", 0, 10),
                 num("Petal.Length", 0, 10), num("Petal.Width", 0, 10),
                 factor("Species", {"setosa", "versicolor", "virginica"})}};
  LoadedTable T = load("iris.csv", S);
  ASSERT_EQ(T.Rows, 150u);
  EXPECT_EQ(T.Columns[0].Num[0], 5.1);
  EXPECT_EQ(T.Columns[1].Num[1], 3.0);
  EXPECT_DOUBLE_EQ(sum(T.Columns[0].Num), 876.5000000000002);
  const std::vector<int32_t> &Code = T.Columns[4].Code;
  ASSERT_EQ(Code.size(), 150u);
  for (size_t R = 0; R < 150; ++R)
    ASSERT_EQ(Code[R], static_cast<int32_t>(R / 50)) << "row " << R;
}

TEST(CsvDatasets, AirqualityHas44Missing) {
  TableSchema S{{integer("Ozone", 0, 200), integer("Solar.R", 0, 400),
                 num("Wind", 0, 30), integer("Temp", 50, 110),
                 integer("Month", 5, 9), integer("Day", 1, 31)}};
  LoadedTable T = load("airquality.csv", S);
  ASSERT_EQ(T.Rows, 153u);
  EXPECT_EQ(countMissing(T.Columns[0]), 37u);
  EXPECT_EQ(countMissing(T.Columns[1]), 7u);
  size_t Total = 0;
  for (const LoadedColumn &C : T.Columns)
    Total += countMissing(C);
  EXPECT_EQ(Total, 44u);
  EXPECT_EQ(completeRows(T, {0, 1, 2, 3, 4, 5}), 111u);
  // Row 5 has both Ozone and Solar.R missing; missing cells hold 0.
  EXPECT_EQ(T.Columns[0].Missing[4], 1u);
  EXPECT_EQ(T.Columns[1].Missing[4], 1u);
  EXPECT_EQ(T.Columns[0].Int[4], 0);
  EXPECT_EQ(T.Columns[2].Num[4], 14.3);
  EXPECT_EQ(T.Columns[0].Int[0], 41);
  EXPECT_EQ(sum(T.Columns[0].Int), 4887);
  EXPECT_DOUBLE_EQ(sum(T.Columns[2].Num), 1523.4999999999998);
}

TEST(CsvDatasets, AirqualityRejectsNAWhenNotAllowed) {
  TableSchema S{{integer("Ozone", 0, 200), num("Wind", 0, 30)}};
  CsvOptions O;
  O.AllowNA = false;
  llvm::Expected<LoadedTable> T = loadCsv(datasetPath("airquality.csv"), S, O);
  ASSERT_FALSE(T);
  // Data row 5 is line 6 of the file.
  EXPECT_EQ(llvm::toString(T.takeError()),
            datasetPath("airquality.csv") +
                ":6:1 (column 'Ozone'): got NA, but missing values are not "
                "allowed");
}

TEST(CsvDatasets, LungHas67Missing) {
  TableSchema S{{integer("inst", 1, 40), integer("time", 1, 2000),
                 integer("status", 1, 2), integer("age", 18, 100),
                 integer("sex", 1, 2), integer("ph.ecog", 0, 3),
                 integer("ph.karno", 0, 100), integer("pat.karno", 0, 100),
                 num("meal.cal", 0, 5000), num("wt.loss", -50, 100)}};
  LoadedTable T = load("lung.csv", S);
  ASSERT_EQ(T.Rows, 228u);
  const size_t Expected[] = {1, 0, 0, 0, 0, 1, 1, 3, 47, 14};
  size_t Total = 0;
  for (size_t C = 0; C < 10; ++C) {
    EXPECT_EQ(countMissing(T.Columns[C]), Expected[C])
        << T.Columns[C].Schema.Name;
    Total += countMissing(T.Columns[C]);
  }
  EXPECT_EQ(Total, 67u);
  EXPECT_EQ(completeRows(T, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), 167u);
  EXPECT_EQ(completeRows(T, {1, 2, 3, 4, 5}), 227u);
  // First row: 3,306,2,74,1,1,90,100,1175,NA
  EXPECT_EQ(T.Columns[1].Int[0], 306);
  EXPECT_EQ(T.Columns[8].Num[0], 1175.0);
  EXPECT_EQ(T.Columns[9].Missing[0], 1u);
  EXPECT_EQ(T.Columns[9].Num[0], 0.0);
  EXPECT_EQ(T.Columns[9].Num[1], 15.0);
}

TEST(CsvDatasets, Birthwt) {
  TableSchema S{{boolean("low"), integer("age", 10, 50),
                 integer("lwt", 50, 300), integer("race", 1, 3),
                 boolean("smoke"), integer("ptl", 0, 5), boolean("ht"),
                 boolean("ui"), integer("ftv", 0, 10),
                 integer("bwt", 500, 6000)}};
  LoadedTable T = load("birthwt.csv", S);
  ASSERT_EQ(T.Rows, 189u);
  EXPECT_EQ(T.Columns[1].Int[0], 19);
  EXPECT_EQ(T.Columns[3].Int[0], 2);
  EXPECT_EQ(sum(T.Columns[9].Int), 556527);
  // low is 1 exactly when bwt < 2500 g.
  for (size_t R = 0; R < T.Rows; ++R)
    ASSERT_EQ(T.Columns[0].Bool[R], T.Columns[9].Int[R] < 2500 ? 1u : 0u)
        << "row " << R;
}

TEST(CsvDatasets, EsophFactors) {
  TableSchema S{
      {factor("agegp", {"25-34", "35-44", "45-54", "55-64", "65-74", "75+"}),
       factor("alcgp", {"0-39g/day", "40-79", "80-119", "120+"}),
       factor("tobgp", {"0-9g/day", "10-19", "20-29", "30+"}),
       integer("ncases", 0, 100), integer("ncontrols", 0, 100)}};
  LoadedTable T = load("esoph.csv", S);
  ASSERT_EQ(T.Rows, 88u);
  EXPECT_EQ(sum(T.Columns[3].Int), 200);
  EXPECT_EQ(sum(T.Columns[4].Int), 775);
  // First row 25-34,0-39g/day,0-9g/day; last row 75+,120+,10-19.
  EXPECT_EQ(T.Columns[0].Code.front(), 0);
  EXPECT_EQ(T.Columns[1].Code.front(), 0);
  EXPECT_EQ(T.Columns[2].Code.front(), 0);
  EXPECT_EQ(T.Columns[0].Code.back(), 5);
  EXPECT_EQ(T.Columns[1].Code.back(), 3);
  EXPECT_EQ(T.Columns[2].Code.back(), 1);
  size_t PerLevel[4] = {};
  for (int32_t C : T.Columns[1].Code)
    ++PerLevel[C];
  EXPECT_EQ(PerLevel[0], 23u);
  EXPECT_EQ(PerLevel[1], 23u);
  EXPECT_EQ(PerLevel[2], 21u);
  EXPECT_EQ(PerLevel[3], 21u);
}

} // namespace
