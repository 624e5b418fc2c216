//===- VMCommon.cpp - Loading an owner's rows against the schema ----------===//

#include "VMCommon.h"

#include "sstat/runtime/Csv.h"

using namespace llvm;

namespace sstat::runtime::vm {

Expected<OwnerRows> loadOwnerRows(const bc::Table &Tab,
                                  const std::string &Path) {
  TableSchema Schema;
  for (const bc::Column &C : Tab.Columns) {
    ColumnSchema CS;
    CS.Name = C.Name;
    CS.Kind = C.Kind == 0   ? ColumnKind::Num
              : C.Kind == 1 ? ColumnKind::Int
              : C.Kind == 2 ? ColumnKind::Bool
              : C.Kind == 3 ? ColumnKind::Factor
                            : ColumnKind::Key;
    CS.Lo = C.Lo;
    CS.Hi = C.Hi;
    CS.Levels = C.Levels;
    Schema.Columns.push_back(CS);
  }
  if (!Tab.Key.empty()) {
    ColumnSchema K;
    K.Name = Tab.Key;
    K.Kind = ColumnKind::Key;
    Schema.Columns.push_back(K);
  }
  Expected<LoadedTable> L = loadCsv(Path, Schema, CsvOptions{});
  if (!L)
    return L.takeError();
  OwnerRows O;
  O.Rows = L->Rows;
  if (!Tab.Key.empty())
    for (const std::string &K : L->Columns.back().Key)
      O.KeyHash.push_back(keyHash(K));
  O.Data.assign(Tab.Columns.size(), {});
  O.Missing.assign(Tab.Columns.size(), {});
  for (size_t C = 0; C < Tab.Columns.size(); ++C) {
    const LoadedColumn &LC = L->Columns[C];
    // A column declared without na = TRUE may not have missing values.
    if (!Tab.Columns[C].MayBeNA)
      for (size_t Row = 0; Row < LC.Missing.size(); ++Row)
        if (LC.Missing[Row])
          return err(Path + ":" + Twine(Row + 2) + " (column '" +
                     Tab.Columns[C].Name +
                     "'): got NA, but the schema does not allow missing "
                     "values (declare it with na = TRUE)");
    O.Data[C].resize(L->Rows);
    O.Missing[C].resize(L->Rows);
    for (size_t Row = 0; Row < L->Rows; ++Row) {
      double V = 0;
      switch (Tab.Columns[C].Kind) {
      case 0:
        V = LC.Num.empty() ? 0 : LC.Num[Row];
        break;
      case 1:
        V = LC.Int.empty() ? 0 : double(LC.Int[Row]);
        break;
      case 2:
        V = LC.Bool.empty() ? 0 : LC.Bool[Row];
        break;
      default:
        V = LC.Code.empty() ? 0 : LC.Code[Row];
        break;
      }
      bool Miss = !LC.Missing.empty() && LC.Missing[Row];
      O.Data[C][Row] = Miss ? 0 : V;
      O.Missing[C][Row] = Miss;
    }
  }
  return O;
}

Expected<const InputFile *> findInputFile(const std::vector<InputFile> &Files,
                                          const std::string &Party,
                                          const bc::Table &Tab) {
  const InputFile *F = nullptr;
  for (const InputFile &I : Files)
    if (I.Party == Party && (I.Table.empty() || I.Table == Tab.Name)) {
      if (F && F->Table == I.Table)
        return err("two files given for " + Party + "." + Tab.Name);
      if (!F || !I.Table.empty())
        F = &I;
    }
  if (!F)
    return err("no input file for party '" + Party + "' (table '" + Tab.Name +
               "'): pass --input " + Party + "=FILE.csv");
  return F;
}

} // namespace sstat::runtime::vm
