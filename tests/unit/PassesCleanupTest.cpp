//===- PassesCleanupTest.cpp ----------------------------------------------------------===//

#include <gtest/gtest.h>
