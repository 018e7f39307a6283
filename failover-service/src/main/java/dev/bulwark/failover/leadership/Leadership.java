package dev.bulwark.failover.leadership;

/**
 * Whether this replica may take decisions for a group now. It only narrows who acts: every
 * promotion is still a compare-and-swap on the stored epoch, and a leader that loses it stands
 * down, so that two replicas can never both promote even while they disagree on the leader.
 */
public interface Leadership extends AutoCloseable {

  /** True while this replica may act for {@code group}. */
  boolean leads(String group);

  /** Stops renewing; a held Lease then expires for the next replica. */
  @Override
  void close();
}
