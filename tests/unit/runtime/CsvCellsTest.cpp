//===- CsvCellsTest.cpp - Converting single cells -------------------------===//
//
// The cell conversions under the loader, tested directly: R's number
// formats, the underflow/overflow split of out-of-range decimals, whole
// numbers, boolean spellings, and the quoting of cells in messages.
//
//===----------------------------------------------------------------------===//

#include "CsvCells.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace sstat::runtime::csv;

namespace {

TEST(CsvCells, Numbers) {
  EXPECT_EQ(parseNumber("1"), 1.0);
  EXPECT_EQ(parseNumber("-2.5"), -2.5);
  EXPECT_EQ(parseNumber("1e-3"), 1e-3);
  EXPECT_EQ(parseNumber("+4"), 4.0);
  EXPECT_EQ(parseNumber("0.1"), 0.1);
  EXPECT_EQ(parseNumber(""), std::nullopt);
  EXPECT_EQ(parseNumber("+"), std::nullopt);
  EXPECT_EQ(parseNumber("+-1"), std::nullopt);
  EXPECT_EQ(parseNumber("1 "), std::nullopt);
  EXPECT_EQ(parseNumber("1,5"), std::nullopt);
  EXPECT_EQ(parseNumber("0x10"), std::nullopt);
  EXPECT_TRUE(std::isinf(*parseNumber("Inf")));
  EXPECT_TRUE(std::isnan(*parseNumber("NaN")));
}

TEST(CsvCells, OutOfRangeDecimals) {
  EXPECT_EQ(parseNumber("1e400"), HUGE_VAL);
  EXPECT_EQ(parseNumber("-1e400"), -HUGE_VAL);
  EXPECT_EQ(parseNumber("123456789e305"), HUGE_VAL);
  EXPECT_EQ(parseNumber("1e-400"), 0.0);
  EXPECT_TRUE(std::signbit(*parseNumber("-1e-400")));
  EXPECT_EQ(parseNumber("0.0001e-330"), 0.0);
  EXPECT_EQ(parseNumber("1000e-400"), 0.0);
  EXPECT_EQ(parseNumber("0.001e1000"), HUGE_VAL);
  EXPECT_EQ(parseNumber("1e-99999999999999999999999"), 0.0);
}

TEST(CsvCells, WholeNumbers) {
  EXPECT_EQ(parseWhole("42"), 42);
  EXPECT_EQ(parseWhole("-42"), -42);
  EXPECT_EQ(parseWhole("+42"), 42);
  EXPECT_EQ(parseWhole("42.0"), 42);
  EXPECT_EQ(parseWhole("4.2e1"), 42);
  EXPECT_EQ(parseWhole("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(parseWhole("9223372036854775808"), std::nullopt);
  EXPECT_EQ(parseWhole("6.5"), std::nullopt);
  EXPECT_EQ(parseWhole("Inf"), std::nullopt);
  EXPECT_EQ(parseWhole(""), std::nullopt);
  EXPECT_EQ(parseWhole("+"), std::nullopt);
}

TEST(CsvCells, Bools) {
  for (const char *T : {"TRUE", "T", "true", "True", "1"})
    EXPECT_EQ(parseBool(T), true) << T;
  for (const char *F : {"FALSE", "F", "false", "False", "0"})
    EXPECT_EQ(parseBool(F), false) << F;
  for (const char *X : {"", "yes", "TRUE ", "tRUE", "2", "NA"})
    EXPECT_EQ(parseBool(X), std::nullopt) << X;
}

TEST(CsvCells, Formatting) {
  EXPECT_EQ(formatNumber(50), "50");
  EXPECT_EQ(formatNumber(0.1), "0.1");
  EXPECT_EQ(formatNumber(1e7), "1e+07");
  EXPECT_EQ(formatNumber(-2.5), "-2.5");
  EXPECT_EQ(quoteCell("abc"), "'abc'");
  EXPECT_EQ(quoteCell(""), "''");
  EXPECT_EQ(quoteCell("a\x7f"), "'a\\x7f'");
  EXPECT_EQ(printable("a\nb", 64), "a\\x0ab");
  EXPECT_EQ(printable("abcdef", 3), "abc...");
}

} // namespace
