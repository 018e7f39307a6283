package dev.bulwark.backup.retention;

import java.util.List;
import java.util.Set;

/** What retention keeps, each with why, and what it deletes; both newest first. */
public record RetentionSelection(List<Kept> kept, List<RetentionCandidate> deleted) {

  public RetentionSelection {
    kept = List.copyOf(kept);
    deleted = List.copyOf(deleted);
  }

  /** A backup that stays, and every reason it does. */
  public record Kept(RetentionCandidate candidate, Set<KeepReason> reasons) {
    public Kept {
      reasons = Set.copyOf(reasons);
    }
  }
}
