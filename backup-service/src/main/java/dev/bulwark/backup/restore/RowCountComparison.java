package dev.bulwark.backup.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;

/** Compares the row counts found after a restore with a backup's manifest, table by table. */
public final class RowCountComparison {

  private RowCountComparison() {}

  /** One sentence per table missing, extra or with another count; empty when all are equal. */
  public static List<String> mismatches(
      SortedMap<String, Long> expected, SortedMap<String, Long> restored) {
    TreeSet<String> tables = new TreeSet<>(expected.keySet());
    tables.addAll(restored.keySet());
    List<String> mismatches = new ArrayList<>();
    for (String table : tables) {
      Long want = expected.get(table);
      Long got = restored.get(table);
      if (got == null) {
        mismatches.add(
            "table "
                + table
                + " is missing after the restore (the manifest has "
                + want
                + " rows)");
      } else if (want == null) {
        mismatches.add(
            "table "
                + table
                + " is not in the manifest but has "
                + got
                + " rows after the restore");
      } else if (!want.equals(got)) {
        mismatches.add(
            "table "
                + table
                + " has "
                + got
                + " rows after the restore, the manifest says "
                + want);
      }
    }
    return mismatches;
  }
}
