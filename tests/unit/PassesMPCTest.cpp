//===- PassesMPCTest.cpp ----------------------------------------------------------===//

#include <gtest/gtest.h>
