//===- IRParserTest.cpp ----------------------------------------------------------===//

#include <gtest/gtest.h>
