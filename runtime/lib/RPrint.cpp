//===- RPrint.cpp - R's summaries printed as R prints them ----------------===//
//
// Three layers, each reproducing R 4.2's observable behaviour (written from
// R's documentation and from its output, which the tests compare byte for
// byte):
//
//  - numbers: R chooses one format for a whole vector (formatReal). For
//    each value it finds the fewest significant digits, up to `digits`,
//    that show the value rounded to `digits` significant digits, and its
//    decimal exponent; fixed notation then needs as many decimals as the
//    most demanding value, and it is used unless scientific notation is
//    narrower (by more than `scipen`). signif(), round() (R >= 4.0: the
//    nearer of the two decimal neighbours, ties to even), formatC's "%g"
//    and format.pval (p-values below eps print as "<2e-16") sit on top;
//  - layout: named vectors as many per line as fit in 80 columns, names
//    right-aligned over values, each followed by a space; matrices with
//    left-aligned row names and right-aligned columns separated by one
//    space, wrapped into column blocks narrower than 80; printCoefmat's
//    table (estimates and standard errors in one common format after
//    rounding to the decimals of the smallest, test statistics rounded to
//    digits - 1 decimals, p-values by format.pval, then significance
//    stars);
//  - the linear-model summary: summary.lm's arithmetic and
//    print.summary.lm's text, with confint.lm's intervals.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/RPrint.h"
#include "sstat/runtime/RDist.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>

namespace sstat::runtime::rprint {
namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

/// 10^n by binary powering, as R's R_pow_di computes it (exact for
/// |n| <= 22, and the same roundings beyond).
double powDi(double X, int N) {
  double Result = 1;
  const bool Negative = N < 0;
  unsigned M = Negative ? -static_cast<unsigned>(N) : static_cast<unsigned>(N);
  for (;;) {
    if (M & 1)
      Result *= X;
    if ((M >>= 1) == 0)
      break;
    X *= X;
  }
  return Negative ? 1 / Result : Result;
}

/// 10^k in long double, exact for k <= 27 (5^27 < 2^64).
constexpr int PowTableMax = 27;
long double pow10L(int K) {
  static const auto Table = [] {
    std::array<long double, PowTableMax + 1> T{};
    T[0] = 1;
    for (int I = 1; I <= PowTableMax; ++I)
      T[I] = T[I - 1] * 10;
    return T;
  }();
  return Table[K];
}

/// The display width of a UTF-8 string: its number of code points.
int displayWidth(const std::string &S) {
  int W = 0;
  for (unsigned char C : S)
    W += (C & 0xC0) != 0x80;
  return W;
}

std::string spaces(int N) { return std::string(std::max(N, 0), ' '); }

std::string padLeft(const std::string &S, int W) {
  return spaces(W - displayWidth(S)) + S;
}

/// What formatReal needs to know of one finite value x at `Digits`
/// significant digits: |x| rounded is alpha * 10^KPower with
/// 1 <= alpha < 10 and NSig significant digits, and RoundingWidens when
/// scientific rounding carries into a new leading digit that fixed
/// notation with the same digits would not show (9996 at 3 digits).
struct Decomposition {
  bool Neg = false;
  int KPower = 0;
  int NSig = 1;
  bool RoundingWidens = false;
};

Decomposition decompose(double X, int Digits) {
  Decomposition D;
  if (X == 0)
    return D;
  D.Neg = X < 0;
  const double R = std::fabs(X);
  if (Digits > DBL_DIG) {
    // Beyond double precision: read the digits off printf.
    char Buf[64];
    std::snprintf(Buf, sizeof Buf, "%.*e", Digits - 1, R);
    const char *E = Buf;
    while (*E != 'e')
      ++E;
    D.KPower = std::atoi(E + 1);
    int J = Digits; // index of the last mantissa digit ("d.ddd")
    while (J > 1 && Buf[J] == '0')
      --J;
    D.NSig = J > 1 ? J : 1;
    return D;
  }
  // Scale |x| to an integer of Digits digits in long double, with exact
  // powers of ten where possible, and round it to the nearest.
  int Kp = static_cast<int>(std::floor(std::log10(R))) - Digits + 1;
  long double RPrec = R;
  if (std::abs(Kp) < 10) {
    if (Kp > 0)
      RPrec /= pow10L(Kp);
    else if (Kp < 0)
      RPrec *= pow10L(-Kp);
  } else if (Kp <= DBL_MIN_10_EXP) {
    RPrec = (R * 1e303) / std::pow(10.0L, Kp + 303);
  } else {
    RPrec /= std::pow(10.0L, static_cast<long double>(Kp));
  }
  if (RPrec < pow10L(Digits - 1)) {
    RPrec *= 10;
    --Kp;
  }
  double Alpha = static_cast<double>(std::nearbyint(RPrec));
  // Drop trailing zeros of the rounded mantissa.
  D.NSig = Digits;
  for (int J = 1; J <= Digits; ++J) {
    Alpha /= 10;
    if (Alpha != std::floor(Alpha))
      break;
    --D.NSig;
  }
  if (D.NSig == 0) {
    D.NSig = 1;
    ++Kp;
  }
  D.KPower = Kp + Digits - 1;
  // Would the largest digit fixed notation hides round r up to 10^KPower?
  int Rgt = Digits - D.KPower;
  Rgt = std::clamp(Rgt, 0, PowTableMax);
  const double Fuzz = 0.5 / static_cast<double>(pow10L(Rgt));
  D.RoundingWidens = D.KPower > 0 && D.KPower <= PowTableMax &&
                     R < static_cast<double>(pow10L(D.KPower)) - Fuzz;
  return D;
}

/// The display of a non-finite value.
const char *nonFinite(double X) {
  if (std::isnan(X))
    return "NaN";
  return X > 0 ? "Inf" : "-Inf";
}

} // namespace

//===----------------------------------------------------------------------===//
// Numbers
//===----------------------------------------------------------------------===//

RealFormat formatReal(const std::vector<double> &X, int Digits, int Scipen) {
  bool AnyFinite = false, Neg = false, NaNs = false, PosInf = false,
       NegInf = false;
  int Rgt = INT_MIN, MaxLeft = INT_MIN, MinLeft = INT_MAX,
      MaxSignedLeft = INT_MIN, MaxSig = INT_MIN;
  for (double V : X) {
    if (!std::isfinite(V)) {
      if (std::isnan(V))
        NaNs = true;
      else if (V > 0)
        PosInf = true;
      else
        NegInf = true;
      continue;
    }
    AnyFinite = true;
    const Decomposition D = decompose(V, Digits);
    int Left = D.KPower + 1; // digits left of the point
    if (D.RoundingWidens)
      --Left;
    const int SignedLeft = D.Neg + (Left <= 0 ? 1 : Left);
    const int Right = D.NSig - Left; // digits right of the point
    Neg = Neg || D.Neg;
    Rgt = std::max(Rgt, Right);
    MaxLeft = std::max(MaxLeft, Left);
    MinLeft = std::min(MinLeft, Left);
    MaxSignedLeft = std::max(MaxSignedLeft, SignedLeft);
    MaxSig = std::max(MaxSig, D.NSig);
  }
  RealFormat F;
  if (AnyFinite) {
    if (MaxLeft < 0)
      MaxSignedLeft = 1 + Neg;
    Rgt = std::max(Rgt, 0);
    const int WidthFixed = MaxSignedLeft + Rgt + (Rgt != 0);
    // Scientific: [-]d[.ddd]e+XX, or e+XXX for exponents beyond 99.
    F.Exponent = (MaxLeft > 100 || MinLeft <= -99) ? 2 : 1;
    F.Decimals = MaxSig - 1;
    F.Width = Neg + (F.Decimals > 0) + F.Decimals + 4 + F.Exponent;
    if (WidthFixed <= F.Width + Scipen) {
      F.Exponent = 0;
      F.Decimals = Rgt;
      F.Width = WidthFixed;
    }
  }
  if (NaNs || PosInf)
    F.Width = std::max(F.Width, 3);
  if (NegInf)
    F.Width = std::max(F.Width, 4);
  return F;
}

std::string encodeReal(double X, const RealFormat &F) {
  if (!std::isfinite(X))
    return padLeft(nonFinite(X), F.Width);
  if (X == 0)
    X = 0; // no negative zero
  char Buf[512];
  if (F.Exponent)
    std::snprintf(Buf, sizeof Buf, F.Decimals ? "%#*.*e" : "%*.*e", F.Width,
                  F.Decimals, X);
  else
    std::snprintf(Buf, sizeof Buf, "%*.*f", F.Width, F.Decimals, X);
  return Buf;
}

std::vector<std::string> formatR(const std::vector<double> &X, int Digits,
                                 bool Trim, int Scipen) {
  RealFormat F = formatReal(X, Digits, Scipen);
  if (Trim)
    F.Width = 0;
  std::vector<std::string> Out;
  Out.reserve(X.size());
  for (double V : X)
    Out.push_back(encodeReal(V, F));
  return Out;
}

std::string formatNumberR(double X, int Digits) {
  return formatR({X}, Digits, /*Trim=*/true).front();
}

std::string formatC(double X, int Digits) {
  // formatC's default width is digits + 1.
  if (!std::isfinite(X))
    return padLeft(nonFinite(X), Digits + 1);
  char Buf[128];
  std::snprintf(Buf, sizeof Buf, "%*.*g", Digits + 1, Digits, X);
  return Buf;
}

std::vector<std::string> formatPval(const std::vector<double> &P, int Digits,
                                    double Eps) {
  std::vector<std::string> Out(P.size());
  // Values at or above eps: those from 1e-4 (1e-3 at one digit) up in one
  // common format, the smaller ones in another.
  std::vector<size_t> Fix, Sci;
  bool AnyTiny = false;
  for (size_t I = 0; I < P.size(); ++I) {
    if (std::isnan(P[I])) {
      Out[I] = "NA";
      continue;
    }
    if (P[I] < Eps) {
      AnyTiny = true;
      continue;
    }
    const double Expo = std::floor(std::log10(P[I] > 0 ? P[I] : 1e-50));
    (Expo >= -3 || (Expo == -4 && Digits > 1) ? Fix : Sci).push_back(I);
  }
  int MaxWidth = 0;
  for (const std::vector<size_t> *Group : {&Fix, &Sci}) {
    std::vector<double> Vals;
    for (size_t I : *Group)
      Vals.push_back(P[I]);
    const std::vector<std::string> Strs = formatR(Vals, Digits);
    for (size_t K = 0; K < Group->size(); ++K) {
      Out[(*Group)[K]] = Strs[K];
      MaxWidth = std::max(MaxWidth, displayWidth(Strs[K]));
    }
  }
  if (AnyTiny) {
    int EpsDigits = std::max(1, Digits - 2);
    std::string Sep;
    if (!Fix.empty() || !Sci.empty()) {
      if (EpsDigits > 1 && EpsDigits + 6 > MaxWidth)
        EpsDigits = std::max(1, MaxWidth - 7);
      Sep = EpsDigits == 1 && MaxWidth <= 6 ? "" : " ";
    } else {
      Sep = EpsDigits == 1 ? "" : " ";
    }
    const std::string Tiny = "<" + Sep + formatNumberR(Eps, EpsDigits);
    for (size_t I = 0; I < P.size(); ++I)
      if (!std::isnan(P[I]) && P[I] < Eps)
        Out[I] = Tiny;
  }
  return Out;
}

double roundR(double X, int Digits) {
  if (!std::isfinite(X) || X == 0)
    return X;
  if (Digits == 0)
    return std::nearbyint(X);
  if (Digits > 308 + 15)
    return X;
  if (Digits < -308)
    return 0;
  const double Sign = X < 0 ? -1 : 1;
  X = std::fabs(X);
  // Already exact to more digits than a double holds.
  constexpr double Log10Of2 = 0.301029995663981195;
  if (Digits + (std::logb(X) + 0.5) * Log10Of2 > DBL_DIG)
    return Sign * X;
  double Down, Up, Floor;
  if (Digits <= 308) {
    const double Pow10 = powDi(10, Digits);
    const double X10 = Pow10 * X;
    Floor = std::floor(X10);
    Down = Floor / Pow10;
    Up = std::ceil(X10) / Pow10;
  } else {
    const double Pow10 = powDi(10, 308), P10 = powDi(10, Digits - 308);
    const double X10 = (Pow10 * X) * P10;
    Floor = std::floor(X10);
    Down = Floor / Pow10 / P10;
    Up = std::ceil(X10) / Pow10 / P10;
  }
  // The nearer candidate; on a tie the even one.
  const double DistUp = Up - X, DistDown = X - Down;
  const bool TakeUp =
      DistUp < DistDown || (DistUp == DistDown && std::fmod(Floor, 2) == 1);
  return Sign * (TakeUp ? Up : Down);
}

double signifR(double X, int Digits) {
  if (!std::isfinite(X) || X == 0)
    return X;
  if (Digits > 22)
    return X;
  Digits = std::max(Digits, 1);
  const double Sign = X < 0 ? -1 : 1;
  X = std::fabs(X);
  const double L10 = std::log10(X);
  int E10 = Digits - 1 - static_cast<int>(std::floor(L10));
  constexpr int Max10e = DBL_MAX_10_EXP; // 308
  if (std::fabs(L10) < Max10e - 2) {
    double P10 = 1;
    if (E10 > Max10e) {
      P10 = powDi(10, E10 - Max10e);
      E10 = Max10e;
    }
    if (E10 > 0) {
      // Scale up by an exactly representable power where possible.
      const double Pow10 = powDi(10, E10);
      return Sign * (std::nearbyint((X * Pow10) * P10) / Pow10) / P10;
    }
    const double Pow10 = powDi(10, -E10);
    return Sign * (std::nearbyint(X / Pow10) * Pow10);
  }
  // Near the ends of the double range: scale by 10^e10 in two steps that
  // neither overflow nor underflow, round half up, and scale back.
  const bool DoRound = Max10e - L10 >= powDi(10, -Digits);
  const int E2 = Digits + (E10 > 0 ? 1 : 6);
  const double P10 = powDi(10, E2), Q10 = powDi(10, E10 - E2);
  if (!std::isfinite(Q10) || Q10 == 0) {
    // Subnormal x: 10^e10 is out of the double range; use long double.
    const long double Scale = std::pow(10.0L, E10);
    long double Y = X * Scale;
    if (DoRound)
      Y += 0.5L;
    return Sign * static_cast<double>(std::floor(Y) / Scale);
  }
  X = X * P10 * Q10;
  if (DoRound)
    X += 0.5;
  return Sign * (std::floor(X) / P10) / Q10;
}

//===----------------------------------------------------------------------===//
// Vectors and matrices
//===----------------------------------------------------------------------===//

std::string printNamedVectorR(const std::vector<std::string> &Names,
                              const std::vector<double> &Values, int Digits,
                              int Width) {
  assert(Names.size() == Values.size() && "one name per value");
  RealFormat F = formatReal(Values, Digits);
  for (const std::string &N : Names)
    F.Width = std::max(F.Width, displayWidth(N));
  const size_t PerLine =
      std::max<size_t>(1, static_cast<size_t>(Width / (F.Width + 1)));
  std::string Out;
  for (size_t Start = 0; Start < Values.size(); Start += PerLine) {
    const size_t End = std::min(Values.size(), Start + PerLine);
    for (size_t K = Start; K < End; ++K)
      Out += padLeft(Names[K], F.Width) + " ";
    Out += "\n";
    for (size_t K = Start; K < End; ++K)
      Out += encodeReal(Values[K], F) + " ";
    Out += "\n";
  }
  if (Values.empty())
    Out = "named numeric(0)\n";
  return Out;
}

namespace {

/// The column blocks R prints a matrix in: as many columns as keep a line
/// (row labels, then one space and the column for each) narrower than
/// Width, at least one.
std::vector<std::pair<size_t, size_t>>
columnBlocks(int RowLabelWidth, const std::vector<int> &W, int Width) {
  std::vector<std::pair<size_t, size_t>> Blocks;
  for (size_t Min = 0; Min < W.size();) {
    int Line = RowLabelWidth + 1 + W[Min];
    size_t Max = Min + 1;
    while (Max < W.size() && Line + 1 + W[Max] < Width)
      Line += 1 + W[Max++];
    Blocks.push_back({Min, Max});
    Min = Max;
  }
  return Blocks;
}

/// R's default labels of an unnamed matrix: "[1,]" and "[,1]".
std::vector<std::string> defaultLabels(size_t N, bool Rows) {
  std::vector<std::string> L;
  char Buf[32];
  for (size_t I = 1; I <= N; ++I) {
    std::snprintf(Buf, sizeof Buf, Rows ? "[%zu,]" : "[,%zu]", I);
    L.push_back(Buf);
  }
  return L;
}

/// Lays out a matrix of already formatted cells (row-major), each column
/// of width W[j], right- or left-aligned. With the names of the dimnames
/// (Titles[0] for the rows, Titles[1] for the columns), the row labels are
/// indented by R_MIN_LBLOFF = 2 (or as far as the row title needs), and
/// each block of columns starts with a line holding the column title.
std::string layoutMatrix(const std::vector<std::string> &RowNames,
                         const std::vector<std::string> &ColNames,
                         const std::vector<std::string> &Cells,
                         std::vector<int> W, bool Right, int Width,
                         const std::array<std::string, 2> *Titles = nullptr) {
  const size_t NR = RowNames.size(), NC = ColNames.size();
  int RowLabelWidth = 0, LabelOffset = 0;
  for (const std::string &R : RowNames)
    RowLabelWidth = std::max(RowLabelWidth, displayWidth(R));
  if (Titles) {
    const int TitleWidth = displayWidth((*Titles)[0]);
    LabelOffset =
        TitleWidth < RowLabelWidth + 2 ? 2 : TitleWidth - RowLabelWidth;
    RowLabelWidth += LabelOffset;
  }
  for (size_t J = 0; J < NC; ++J)
    W[J] = std::max(W[J], displayWidth(ColNames[J]));
  // Appends S aligned in a field of width Wd.
  auto Append = [](std::string &Out, const std::string &S, int Wd,
                   bool AlignRight) {
    const int Pad = std::max(0, Wd - displayWidth(S));
    if (AlignRight)
      Out.append(Pad, ' ');
    Out.append(S);
    if (!AlignRight)
      Out.append(Pad, ' ');
  };
  std::string Out;
  for (auto [Min, Max] : columnBlocks(RowLabelWidth, W, Width)) {
    if (Titles) {
      Out.append(RowLabelWidth, ' ');
      Out += (*Titles)[1] + "\n";
      Append(Out, (*Titles)[0], RowLabelWidth, /*AlignRight=*/false);
    } else {
      Out.append(RowLabelWidth, ' ');
    }
    for (size_t J = Min; J < Max; ++J) {
      Out.push_back(' ');
      Append(Out, ColNames[J], W[J], Right);
    }
    for (size_t I = 0; I < NR; ++I) {
      Out.push_back('\n');
      Out.append(LabelOffset, ' ');
      Append(Out, RowNames[I], RowLabelWidth - LabelOffset,
             /*AlignRight=*/false);
      for (size_t J = Min; J < Max; ++J) {
        Out.push_back(' ');
        Append(Out, Cells[I * NC + J], W[J], Right);
      }
    }
    Out.push_back('\n');
  }
  return Out;
}

} // namespace

std::string printStringMatrixR(const std::vector<std::string> &RowNames,
                               const std::vector<std::string> &ColNames,
                               const std::vector<std::string> &Cells,
                               bool Right, int Width) {
  assert(Cells.size() == RowNames.size() * ColNames.size() &&
         "one cell per row and column");
  std::vector<int> W(ColNames.size(), 0);
  for (size_t I = 0; I < RowNames.size(); ++I)
    for (size_t J = 0; J < ColNames.size(); ++J)
      W[J] = std::max(W[J], displayWidth(Cells[I * ColNames.size() + J]));
  return layoutMatrix(RowNames, ColNames, Cells, W, Right, Width);
}

std::string printTitledStringMatrixR(const std::vector<std::string> &RowNames,
                                     const std::vector<std::string> &ColNames,
                                     const std::vector<std::string> &Cells,
                                     const std::string &RowTitle,
                                     const std::string &ColTitle, bool Right,
                                     int Width) {
  assert(Cells.size() == RowNames.size() * ColNames.size() &&
         "one cell per row and column");
  std::vector<int> W(ColNames.size(), 0);
  for (size_t I = 0; I < RowNames.size(); ++I)
    for (size_t J = 0; J < ColNames.size(); ++J)
      W[J] = std::max(W[J], displayWidth(Cells[I * ColNames.size() + J]));
  const std::array<std::string, 2> Titles = {RowTitle, ColTitle};
  return layoutMatrix(RowNames, ColNames, Cells, W, Right, Width, &Titles);
}

std::string printNamedStringVectorR(const std::vector<std::string> &Names,
                                    const std::vector<std::string> &Values,
                                    int Width) {
  assert(Names.size() == Values.size() && "one name per value");
  int W = 0;
  for (size_t K = 0; K < Values.size(); ++K)
    W = std::max({W, displayWidth(Names[K]), displayWidth(Values[K])});
  const size_t PerLine =
      std::max<size_t>(1, static_cast<size_t>(Width / (W + 1)));
  std::string Out;
  for (size_t Start = 0; Start < Values.size(); Start += PerLine) {
    const size_t End = std::min(Values.size(), Start + PerLine);
    for (size_t K = Start; K < End; ++K)
      Out += padLeft(Names[K], W) + " ";
    Out += "\n";
    for (size_t K = Start; K < End; ++K)
      Out += padLeft(Values[K], W) + " ";
    Out += "\n";
  }
  if (Values.empty())
    Out = "named character(0)\n";
  return Out;
}

std::string printMatrixR(const std::vector<std::string> &RowNames,
                         const std::vector<std::string> &ColNames,
                         const std::vector<double> &Values, int Digits,
                         int Width) {
  const size_t NR = RowNames.size(), NC = ColNames.size();
  assert(Values.size() == NR * NC && "one value per row and column");
  std::vector<std::string> Cells(NR * NC);
  std::vector<int> W(NC);
  for (size_t J = 0; J < NC; ++J) {
    std::vector<double> Column;
    for (size_t I = 0; I < NR; ++I)
      Column.push_back(Values[I * NC + J]);
    const RealFormat F = formatReal(Column, Digits);
    W[J] = F.Width;
    for (size_t I = 0; I < NR; ++I)
      Cells[I * NC + J] = encodeReal(Column[I], F);
  }
  return layoutMatrix(RowNames.empty() ? defaultLabels(NR, true) : RowNames,
                      ColNames.empty() ? defaultLabels(NC, false) : ColNames,
                      Cells, W, /*Right=*/true, Width);
}

std::string printCoefmat(const std::vector<std::string> &RowNames,
                         const std::array<std::string, 4> &ColNames,
                         const std::vector<std::array<double, 4>> &Rows,
                         int Digits, bool SignifStars) {
  const size_t NR = Rows.size();
  assert(RowNames.size() == NR && "one name per row");
  const int DigitsTest = std::max(1, std::min(5, Digits - 1));
  std::vector<std::array<std::string, 4>> Cf(NR);

  // Estimates and standard errors: rounded to the decimals that give the
  // smallest nonzero of them Digits significant digits, then one common
  // format.
  {
    double MinAbs = std::numeric_limits<double>::infinity();
    bool AnyFinite = false;
    std::vector<double> Both;
    for (const auto &R : Rows)
      for (int J : {0, 1}) {
        if (std::isfinite(R[J])) {
          AnyFinite = true;
          if (R[J] != 0)
            MinAbs = std::min(MinAbs, std::fabs(R[J]));
        }
      }
    if (AnyFinite) {
      const int DigMin =
          1 + (std::isfinite(MinAbs)
                   ? static_cast<int>(std::floor(std::log10(MinAbs)))
                   : 0);
      const int RoundTo = std::max(1, Digits - DigMin);
      for (int J : {0, 1})
        for (const auto &R : Rows)
          Both.push_back(roundR(R[J], RoundTo));
      const std::vector<std::string> S = formatR(Both, Digits);
      for (size_t I = 0; I < NR; ++I) {
        Cf[I][0] = S[I];
        Cf[I][1] = S[NR + I];
      }
    }
  }
  // The test statistic: rounded to DigitsTest decimals, then formatted.
  {
    std::vector<double> T;
    for (const auto &R : Rows)
      T.push_back(roundR(R[2], DigitsTest));
    const std::vector<std::string> S = formatR(T, Digits);
    for (size_t I = 0; I < NR; ++I)
      Cf[I][2] = S[I];
  }
  // A nonzero estimate or error that printed as zero is shown again with
  // one digit less (together with any others).
  {
    std::vector<std::pair<size_t, int>> Zeroed;
    std::vector<double> Vals;
    for (int J : {0, 1})
      for (size_t I = 0; I < NR; ++I) {
        const double X = Rows[I][J];
        if (std::isnan(X) || Cf[I][J].empty())
          continue;
        if ((X == 0) != (std::strtod(Cf[I][J].c_str(), nullptr) == 0)) {
          Zeroed.push_back({I, J});
          Vals.push_back(X);
        }
      }
    if (!Zeroed.empty()) {
      const std::vector<std::string> S = formatR(Vals, std::max(1, Digits - 1));
      for (size_t K = 0; K < Zeroed.size(); ++K)
        Cf[Zeroed[K].first][Zeroed[K].second] = S[K];
    }
  }
  for (size_t I = 0; I < NR; ++I)
    for (int J = 0; J < 4; ++J)
      if (std::isnan(Rows[I][J]))
        Cf[I][J] = "NaN";

  // p-values and stars.
  std::vector<double> P;
  std::vector<size_t> Ok;
  for (size_t I = 0; I < NR; ++I)
    if (!std::isnan(Rows[I][3])) {
      P.push_back(Rows[I][3]);
      Ok.push_back(I);
    }
  bool Stars = false;
  if (!P.empty()) {
    const std::vector<std::string> S = formatPval(P, DigitsTest);
    for (size_t K = 0; K < Ok.size(); ++K)
      Cf[Ok[K]][3] = S[K];
    Stars = SignifStars &&
            std::any_of(P.begin(), P.end(), [](double V) { return V < 0.1; });
  }

  std::vector<std::string> ColLabels(ColNames.begin(), ColNames.end());
  std::vector<std::string> Cells;
  std::vector<std::string> Codes(NR);
  if (Stars) {
    // symnum's intervals are closed on the right: p <= 0.001 is "***".
    size_t CodeWidth = 0;
    for (size_t I = 0; I < NR; ++I) {
      const double V = Rows[I][3];
      Codes[I] = std::isnan(V) ? ""
                 : V <= 0.001  ? "***"
                 : V <= 0.01   ? "**"
                 : V <= 0.05   ? "*"
                 : V <= 0.1    ? "."
                               : " ";
      CodeWidth = std::max(CodeWidth, Codes[I].size());
    }
    for (std::string &C : Codes)
      C.resize(CodeWidth, ' ');
    ColLabels.push_back("");
  }
  for (size_t I = 0; I < NR; ++I) {
    Cells.insert(Cells.end(), Cf[I].begin(), Cf[I].end());
    if (Stars)
      Cells.push_back(Codes[I]);
  }
  std::string Out = printStringMatrixR(RowNames, ColLabels, Cells);
  if (Stars)
    Out += "---\nSignif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 "
           "\xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 "
           "\xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n";
  return Out;
}

//===----------------------------------------------------------------------===//
// Linear models
//===----------------------------------------------------------------------===//

LmSummary summarizeLm(const LmFit &Fit) {
  const size_t P = Fit.Beta.size();
  assert(Fit.Terms.size() == P && Fit.V.size() == P &&
         "one name and one variance factor per coefficient");
  LmSummary S;
  S.terms = Fit.Terms;
  S.estimate = Fit.Beta;
  S.na_deleted = Fit.NaDeleted;
  const double Rdf = static_cast<double>(Fit.N) - static_cast<double>(P);
  const double ResVar = Rdf > 0 ? Fit.Rss / Rdf : NaN;
  S.df_residual = Rdf;
  S.sigma = std::sqrt(ResVar);
  for (size_t J = 0; J < P; ++J) {
    const double Se = std::sqrt(Fit.V[J] * ResVar);
    const double T = Fit.Beta[J] / Se;
    S.std_error.push_back(Se);
    S.t_value.push_back(T);
    S.p_value.push_back(2 * rdist::pt(std::fabs(T), Rdf, /*Lower=*/false));
  }
  const double DfInt = Fit.Intercept ? 1 : 0;
  const double NumDf = static_cast<double>(P) - DfInt;
  S.has_f = NumDf > 0;
  if (S.has_f) {
    const double Mss = Fit.Tss - Fit.Rss;
    S.r_squared = Mss / Fit.Tss;
    S.adj_r_squared =
        1 - (1 - S.r_squared) * ((static_cast<double>(Fit.N) - DfInt) / Rdf);
    S.f_statistic = (Mss / NumDf) / ResVar;
    S.f_numdf = NumDf;
    S.f_dendf = Rdf;
    S.f_p_value = rdist::pf(S.f_statistic, NumDf, Rdf, /*Lower=*/false);
  }
  return S;
}

std::vector<std::array<double, 2>> confintLm(const LmSummary &S, double Level) {
  const double A = (1 - Level) / 2;
  const double Lo = rdist::qt(A, S.df_residual);
  const double Hi = rdist::qt(1 - A, S.df_residual);
  std::vector<std::array<double, 2>> Ci;
  for (size_t J = 0; J < S.estimate.size(); ++J)
    Ci.push_back({S.estimate[J] + S.std_error[J] * Lo,
                  S.estimate[J] + S.std_error[J] * Hi});
  return Ci;
}

std::string printConfintLm(const LmSummary &S, double Level) {
  const double A = (1 - Level) / 2;
  // R's format.perc: 3 significant digits, never scientific.
  std::vector<std::string> Cols =
      formatR({100 * A, 100 * (1 - A)}, 3, /*Trim=*/true, /*Scipen=*/100);
  for (std::string &C : Cols)
    C += " %";
  std::vector<double> Values;
  for (const auto &Row : confintLm(S, Level))
    Values.insert(Values.end(), Row.begin(), Row.end());
  return printMatrixR(S.terms, Cols, Values);
}

std::string printCoefLm(const std::vector<std::string> &Names,
                        const std::vector<double> &Values) {
  return printNamedVectorR(Names, Values);
}

std::string printSummaryLm(const LmSummary &S, const std::string &Call) {
  // print.summary.lm's default: digits = max(3, getOption("digits") - 3).
  constexpr int Digits = 4;
  std::string Out = "\nCall:\n" + Call + "\n\n";
  // (R prints the residuals' quantiles here.)
  if (S.terms.empty()) {
    Out += "No Coefficients\n";
  } else {
    Out += "Coefficients:\n";
    std::vector<std::array<double, 4>> Rows;
    for (size_t J = 0; J < S.terms.size(); ++J)
      Rows.push_back(
          {S.estimate[J], S.std_error[J], S.t_value[J], S.p_value[J]});
    Out +=
        printCoefmat(S.terms, {"Estimate", "Std. Error", "t value", "Pr(>|t|)"},
                     Rows, Digits);
  }
  // The residual df is an R integer, printed in full; the F statistic's
  // dfs are doubles, printed with 7 significant digits (1e+06).
  char Rdf[32];
  std::snprintf(Rdf, sizeof Rdf, "%.0f", S.df_residual);
  Out +=
      "\nResidual standard error: " + formatNumberR(signifR(S.sigma, Digits)) +
      " on " + Rdf + " degrees of freedom\n";
  if (S.na_deleted) {
    char Note[96];
    std::snprintf(Note, sizeof Note,
                  "  (%llu observation%s deleted due to missingness)\n",
                  static_cast<unsigned long long>(S.na_deleted),
                  S.na_deleted == 1 ? "" : "s");
    Out += Note;
  }
  if (S.has_f) {
    Out += "Multiple R-squared:  " + formatC(S.r_squared, Digits) +
           ",\tAdjusted R-squared:  " + formatC(S.adj_r_squared, Digits) +
           " \nF-statistic: " + formatC(S.f_statistic, Digits) + " on " +
           formatNumberR(S.f_numdf) + " and " + formatNumberR(S.f_dendf) +
           " DF,  p-value: " + formatPval({S.f_p_value}, Digits).front() + "\n";
  }
  Out += "\n";
  return Out;
}

//===----------------------------------------------------------------------===//
// deparse()
//===----------------------------------------------------------------------===//

namespace {

/// An R expression as deparse() sees it: a leaf (a name, number or string,
/// kept as written), a call f(args), an index x[args] or x[[args]],
/// parentheses, a unary or a binary operator.
struct RExpr {
  enum KindT { Leaf, Call, Index, Paren, Unary, Binary } Kind = Leaf;
  /// The leaf's text, the operator, or "[" / "[[" for an index.
  std::string Text;
  /// Call / Index: the function or object, then the arguments (a null
  /// argument is an empty one, as in x[i, ]); Paren and Unary: the
  /// operand; Binary: both operands.
  std::vector<std::unique_ptr<RExpr>> Kids;
  /// Call / Index: each argument's name, "" if none (Kids[0] has none).
  std::vector<std::string> ArgNames;
};

/// R's tokens: names (also `quoted`), numbers, strings and operators.
struct RToken {
  enum KindT { End, Symbol, Number, String, Op } Kind = End;
  std::string Text;
};

bool isNameStart(unsigned char C) {
  return std::isalpha(C) || C == '.' || C >= 0x80;
}
bool isNameChar(unsigned char C) {
  return std::isalnum(C) || C == '.' || C == '_' || C >= 0x80;
}

/// Splits S into tokens; false on anything R's lexer would not accept or
/// a model call cannot contain.
bool tokenizeR(const std::string &S, std::vector<RToken> &Out) {
  size_t I = 0;
  const size_t N = S.size();
  auto Byte = [&](size_t J) { return static_cast<unsigned char>(S[J]); };
  while (I < N) {
    const unsigned char C = Byte(I);
    if (C == ' ' || C == '\t') {
      ++I;
      continue;
    }
    RToken T;
    const size_t Begin = I;
    if (std::isdigit(C) ||
        (C == '.' && I + 1 < N && std::isdigit(Byte(I + 1)))) {
      T.Kind = RToken::Number;
      if (C == '0' && I + 1 < N && (S[I + 1] == 'x' || S[I + 1] == 'X')) {
        I += 2;
        while (I < N && std::isxdigit(Byte(I)))
          ++I;
      } else {
        while (I < N && (std::isdigit(Byte(I)) || S[I] == '.'))
          ++I;
        if (I < N && (S[I] == 'e' || S[I] == 'E')) {
          ++I;
          if (I < N && (S[I] == '+' || S[I] == '-'))
            ++I;
          if (I == N || !std::isdigit(Byte(I)))
            return false;
          while (I < N && std::isdigit(Byte(I)))
            ++I;
        }
      }
      if (I < N && (S[I] == 'L' || S[I] == 'i'))
        ++I;
    } else if (isNameStart(C)) {
      T.Kind = RToken::Symbol;
      while (I < N && isNameChar(Byte(I)))
        ++I;
      const std::string W = S.substr(Begin, I - Begin);
      for (const char *Reserved : {"function", "if", "else", "for", "while",
                                   "repeat", "break", "next", "in"})
        if (W == Reserved)
          return false;
    } else if (C == '"' || C == '\'' || C == '`') {
      T.Kind = C == '`' ? RToken::Symbol : RToken::String;
      for (++I; I < N && S[I] != static_cast<char>(C); ++I)
        if (S[I] == '\\')
          ++I;
      if (I >= N)
        return false;
      ++I;
    } else if (C == '%') {
      T.Kind = RToken::Op;
      for (++I; I < N && S[I] != '%'; ++I)
        ;
      if (I >= N)
        return false;
      ++I;
    } else {
      T.Kind = RToken::Op;
      static const char *const Ops[] = {
          ":::", "::", "<=", ">=", "==", "!=", "&&", "||", "<-", "[[",
          "+",   "-",  "*",  "/",  "^",  "~",  "<",  ">",  "!",  "&",
          "|",   "$",  "@",  ":",  "(",  ")",  "[",  "]",  ",",  "="};
      const char *Match = nullptr;
      for (const char *Op : Ops)
        if (S.compare(I, std::strlen(Op), Op) == 0) {
          Match = Op;
          break;
        }
      // "<<-", "->", "|>", "?", "{", ";" and the rest: not in a model call.
      if (!Match || S.compare(I, 3, "<<-") == 0 || S.compare(I, 2, "->") == 0 ||
          S.compare(I, 2, "|>") == 0)
        return false;
      I += std::strlen(Match);
    }
    T.Text = S.substr(Begin, I - Begin);
    Out.push_back(std::move(T));
  }
  Out.push_back(RToken());
  return true;
}

/// A recursive-descent (precedence climbing) parser of R's grammar, for
/// the expressions a model's call contains.
class RParser {
public:
  explicit RParser(std::vector<RToken> Tokens) : Toks(std::move(Tokens)) {}

  /// The whole input as one expression, or null.
  std::unique_ptr<RExpr> parseAll() {
    std::unique_ptr<RExpr> E = parse(0);
    if (!E || peek().Kind != RToken::End)
      return nullptr;
    return E;
  }

private:
  std::vector<RToken> Toks;
  size_t Pos = 0;
  int Depth = 0;

  const RToken &peek() const { return Toks[Pos]; }
  bool isOp(const char *Op) const {
    return peek().Kind == RToken::Op && peek().Text == Op;
  }

  /// R's binding powers (gram.y, loosest first); 0 if not a binary
  /// operator. Right-associative operators are marked.
  static int binaryPower(const RToken &T, bool &RightAssoc) {
    RightAssoc = false;
    if (T.Kind != RToken::Op)
      return 0;
    const std::string &O = T.Text;
    if (O == "<-" || O == "=") {
      RightAssoc = true;
      return O == "<-" ? 3 : 2;
    }
    if (O == "~")
      return 5;
    if (O == "||" || O == "|")
      return 6;
    if (O == "&&" || O == "&")
      return 7;
    if (O == "==" || O == "!=" || O == "<" || O == ">" || O == "<=" ||
        O == ">=")
      return 9;
    if (O == "+" || O == "-")
      return 10;
    if (O == "*" || O == "/")
      return 11;
    if (O[0] == '%')
      return 12;
    if (O == ":")
      return 13;
    if (O == "^") {
      RightAssoc = true;
      return 15;
    }
    if (O == "$" || O == "@")
      return 16;
    if (O == "::" || O == ":::")
      return 17;
    return 0;
  }

  std::unique_ptr<RExpr> parse(int MinPower) {
    if (++Depth > 200) // keep the recursion bounded
      return nullptr;
    std::unique_ptr<RExpr> L = parsePrefix();
    while (L) {
      if (isOp("(") || isOp("[") || isOp("[[")) {
        L = parseArgs(std::move(L));
        continue;
      }
      bool Right = false;
      const int Power = binaryPower(peek(), Right);
      if (Power == 0 || Power <= MinPower)
        break;
      // A top-level "=" is an assignment; inside arguments it names them
      // (handled by parseArgs, which never gets here with one).
      auto E = std::make_unique<RExpr>();
      E->Kind = RExpr::Binary;
      E->Text = Toks[Pos++].Text;
      std::unique_ptr<RExpr> R = parse(Right ? Power - 1 : Power);
      if (!R)
        return nullptr;
      E->Kids.push_back(std::move(L));
      E->Kids.push_back(std::move(R));
      L = std::move(E);
    }
    --Depth;
    return L;
  }

  std::unique_ptr<RExpr> parsePrefix() {
    const RToken &T = peek();
    if (T.Kind == RToken::Symbol || T.Kind == RToken::Number ||
        T.Kind == RToken::String) {
      auto E = std::make_unique<RExpr>();
      E->Text = Toks[Pos++].Text;
      return E;
    }
    if (T.Kind != RToken::Op)
      return nullptr;
    if (T.Text == "(") {
      ++Pos;
      auto E = std::make_unique<RExpr>();
      E->Kind = RExpr::Paren;
      std::unique_ptr<RExpr> Inner = parse(0);
      if (!Inner || !isOp(")"))
        return nullptr;
      ++Pos;
      E->Kids.push_back(std::move(Inner));
      return E;
    }
    // Unary operators bind their operand as R's grammar does: - and +
    // tighter than ":" (but not "^"), ! above comparisons, ~ above "=".
    int Power = 0;
    if (T.Text == "-" || T.Text == "+")
      Power = 14;
    else if (T.Text == "!")
      Power = 8;
    else if (T.Text == "~")
      Power = 5;
    else
      return nullptr;
    auto E = std::make_unique<RExpr>();
    E->Kind = RExpr::Unary;
    E->Text = Toks[Pos++].Text;
    std::unique_ptr<RExpr> Operand = parse(Power);
    if (!Operand)
      return nullptr;
    E->Kids.push_back(std::move(Operand));
    return E;
  }

  /// F(args), F[args] or F[[args]].
  std::unique_ptr<RExpr> parseArgs(std::unique_ptr<RExpr> F) {
    auto E = std::make_unique<RExpr>();
    const std::string Open = Toks[Pos++].Text;
    E->Kind = Open == "(" ? RExpr::Call : RExpr::Index;
    E->Text = Open;
    E->Kids.push_back(std::move(F));
    E->ArgNames.push_back("");
    const char *Close = Open == "(" ? ")" : "]";
    auto closes = [&] {
      if (!isOp(Close))
        return false;
      if (Open == "[[" &&
          !(Toks[Pos + 1].Kind == RToken::Op && Toks[Pos + 1].Text == "]"))
        return false;
      return true;
    };
    if (closes()) {
      Pos += Open == "[[" ? 2 : 1;
      return E;
    }
    for (;;) {
      std::string Name;
      const RToken &T = peek();
      if ((T.Kind == RToken::Symbol || T.Kind == RToken::String) &&
          Toks[Pos + 1].Kind == RToken::Op && Toks[Pos + 1].Text == "=") {
        Name = T.Text;
        Pos += 2;
      }
      std::unique_ptr<RExpr> Arg;
      if (!isOp(",") && !closes()) {
        Arg = parse(2); // "=" would name an argument, not assign
        if (!Arg)
          return nullptr;
      }
      E->Kids.push_back(std::move(Arg));
      E->ArgNames.push_back(Name);
      if (isOp(",")) {
        ++Pos;
        continue;
      }
      if (!closes())
        return nullptr;
      Pos += Open == "[[" ? 2 : 1;
      return E;
    }
  }
};

/// deparse2buff's output: lines, the current one, the indentation of the
/// breaks open and the width cutoff.
struct Deparser {
  std::vector<std::string> Lines;
  std::string Cur;
  bool StartLine = true;
  int Indent = 0;
  size_t Cutoff = 60;

  void print(const std::string &S) {
    if (StartLine) {
      StartLine = false;
      for (int I = 1; I <= Indent; ++I)
        Cur += I <= 4 ? "    " : "  ";
    }
    Cur += S;
  }
  void writeLine() {
    Lines.push_back(Cur);
    Cur.clear();
    StartLine = true;
  }
  /// R's linebreak(): a new line once this one is longer than the cutoff,
  /// indented one more level from the first break of the construct on.
  void lineBreak(bool &Broken) {
    if (Cur.size() > Cutoff) {
      if (!Broken) {
        Broken = true;
        ++Indent;
      }
      writeLine();
    }
  }

  void args(const RExpr &E) {
    bool Broken = false;
    for (size_t K = 1; K < E.Kids.size(); ++K) {
      if (!E.ArgNames[K].empty())
        print(E.ArgNames[K] + " = ");
      if (E.Kids[K])
        deparse(*E.Kids[K]);
      else if (E.ArgNames[K].empty())
        print(""); // R deparses the empty argument: the indentation
      if (K + 1 < E.Kids.size()) {
        print(", ");
        lineBreak(Broken);
      }
    }
    if (Broken)
      --Indent;
  }

  void deparse(const RExpr &E) {
    switch (E.Kind) {
    case RExpr::Leaf:
      print(E.Text);
      return;
    case RExpr::Call:
      deparse(*E.Kids[0]);
      print("(");
      args(E);
      print(")");
      return;
    case RExpr::Index:
      deparse(*E.Kids[0]);
      print(E.Text);
      args(E);
      print(E.Text == "[[" ? "]]" : "]");
      return;
    case RExpr::Paren:
      print("(");
      deparse(*E.Kids[0]);
      print(")");
      return;
    case RExpr::Unary:
      print(E.Text);
      deparse(*E.Kids[0]);
      return;
    case RExpr::Binary:
      break;
    }
    const std::string &Op = E.Text;
    // PP_BINARY2 (and $, @, ::): no spaces and no line break.
    if (Op == "/" || Op == "^" || Op == ":" || Op == "%%" || Op == "%/%" ||
        Op == "$" || Op == "@" || Op == "::" || Op == ":::") {
      deparse(*E.Kids[0]);
      print(Op);
      deparse(*E.Kids[1]);
      return;
    }
    deparse(*E.Kids[0]);
    print(" " + Op + " ");
    if (Op == "<-" || Op == "=") { // PP_ASSIGN: no line break
      deparse(*E.Kids[1]);
      return;
    }
    bool Broken = false;
    lineBreak(Broken);
    deparse(*E.Kids[1]);
    if (Broken)
      --Indent;
  }
};

} // namespace

std::vector<std::string> deparseLinesR(const std::string &Text, int Cutoff) {
  std::vector<std::string> Unchanged;
  for (size_t From = 0;;) {
    const size_t NL = Text.find('\n', From);
    Unchanged.push_back(Text.substr(From, NL - From));
    if (NL == std::string::npos)
      break;
    From = NL + 1;
  }
  // The expression's tree is as deep as it has operators (a + b + c
  // nests to the left): bound it, as no model's call comes near.
  std::vector<RToken> Tokens;
  if (Unchanged.size() != 1 || Text.size() > 100000 ||
      !tokenizeR(Text, Tokens) || Tokens.size() > 10000)
    return Unchanged;
  std::unique_ptr<RExpr> E = RParser(std::move(Tokens)).parseAll();
  if (!E)
    return Unchanged;
  Deparser D;
  D.Cutoff = static_cast<size_t>(std::max(Cutoff, 0));
  D.deparse(*E);
  if (!D.Cur.empty() || D.Lines.empty())
    D.writeLine();
  return D.Lines;
}

} // namespace sstat::runtime::rprint
