package dev.bulwark.backup.storage;

import dev.bulwark.testing.PostgresCluster;
import dev.bulwark.testing.PostgresNode;

/**
 * What a storage outage test runs on: a real PostgreSQL cluster to back up and an {@link S3Bucket}
 * to kill under it; closing it stops both.
 */
public final class ClusterAndBucket implements AutoCloseable {

  private final PostgresCluster cluster;
  private final S3Bucket bucket;

  private ClusterAndBucket(PostgresCluster cluster, S3Bucket bucket) {
    this.cluster = cluster;
    this.bucket = bucket;
  }

  /** Starts cluster {@code clusterName} and S3Proxy with bucket {@code bucketName}. */
  public static ClusterAndBucket start(String clusterName, String bucketName) {
    PostgresCluster cluster = PostgresCluster.start(clusterName);
    try {
      return new ClusterAndBucket(cluster, S3Bucket.start(bucketName));
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public PostgresNode primary() {
    return cluster.primary();
  }

  public S3Bucket bucket() {
    return bucket;
  }

  @Override
  public void close() {
    try {
      bucket.close();
    } finally {
      cluster.close();
    }
  }
}
