package dev.bulwark.backup.storage;

import dev.bulwark.common.problem.UnavailableProblem;

/**
 * 503: object storage cannot be reached or refuses to work (connection refused, timeout, 5xx,
 * missing bucket, rejected credentials). The detail names the storage location and what failed,
 * never a credential.
 */
public class StorageUnavailable extends UnavailableProblem {

  public StorageUnavailable(String location, String what) {
    super("storage-unavailable", "object storage " + location + " is unavailable: " + what);
  }
}
