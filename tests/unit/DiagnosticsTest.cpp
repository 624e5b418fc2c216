//===- DiagnosticsTest.cpp - Formatting, de-duplication, -verify ----------===//

#include "TestUtil.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace sstat;
using namespace sstat::test;

TEST(Diagnostics, FormatsArguments) {
  EXPECT_EQ(DiagnosticEngine::format("a %0 b %1", {"x", "y"}), "a x b y");
  EXPECT_EQ(DiagnosticEngine::format("100%% of %0", {"n"}), "100% of n");
  EXPECT_EQ(DiagnosticEngine::format("%1%0", {"a", "b"}), "ba");
}

TEST(Diagnostics, EveryMessageIsLowercaseWithoutFinalPeriod) {
  for (unsigned I = 0; I < diag::NumDiagnostics; ++I) {
    llvm::StringRef F = DiagnosticEngine::getFormat(diag::ID(I));
    ASSERT_FALSE(F.empty());
    EXPECT_FALSE(F.endswith(".")) << F.str();
    char C0 = F[0];
    EXPECT_FALSE(C0 >= 'A' && C0 <= 'Z') << F.str();
  }
}

TEST(Diagnostics, SameErrorAtSamePlaceOnce) {
  llvm::SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy("abc", "t"), llvm::SMLoc());
  DiagnosticEngine D(SM);
  D.setBuffering(true);
  llvm::SMLoc L =
      llvm::SMLoc::getFromPointer(SM.getMemoryBuffer(ID)->getBufferStart());
  D.report(L, diag::err_undefined) << "x";
  D.report(L, diag::note_did_you_mean) << "y";
  D.report(L, diag::err_undefined) << "x"; // dropped, with its note
  D.report(L, diag::note_did_you_mean) << "y";
  D.report(L, diag::err_undefined) << "z"; // different message: kept
  EXPECT_EQ(D.getNumErrors(), 2u);
  EXPECT_EQ(D.getBuffered().size(), 3u);
}

TEST(Diagnostics, VerifyMatchesAndReportsMismatches) {
  {
    Compiled C("x <- y # expected-error {{object 'y' not found}}\n");
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    EXPECT_TRUE(C.Diags.verify(OS)) << Out;
  }
  {
    // An expectation that is not met, and a diagnostic not expected.
    Compiled C("x <- y # expected-error {{something else}}\n");
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    EXPECT_FALSE(C.Diags.verify(OS));
    EXPECT_NE(OS.str().find("expected error not seen"), std::string::npos);
    EXPECT_NE(OS.str().find("unexpected error seen"), std::string::npos);
  }
  {
    // @+1 refers to the next line.
    Compiled C("# expected-error@+1 {{object 'q' not found}}\nx <- q\n");
    std::string Out;
    llvm::raw_string_ostream OS(Out);
    EXPECT_TRUE(C.Diags.verify(OS)) << Out;
  }
}
