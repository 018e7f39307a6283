package dev.bulwark.backup.storage;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The stream an {@link S3Storage} body writes to: it holds one part in memory and uploads each full
 * part; an object that fits in one part is a single PutObject. Nothing is visible under the key
 * until {@link #complete()}; {@link #abort} discards the upload so that no parts are left billed.
 */
final class MultipartUpload extends OutputStream {

  private final S3Storage storage;
  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final byte[] part;
  private int filled;
  private String uploadId;
  private final List<CompletedPart> parts = new ArrayList<>();

  MultipartUpload(S3Storage storage, String bucket, String key, int partSize) {
    this.storage = storage;
    this.s3 = storage.client();
    this.bucket = bucket;
    this.key = key;
    this.part = new byte[partSize];
  }

  @Override
  public void write(int b) {
    if (filled == part.length) {
      uploadPart();
    }
    part[filled++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    while (length > 0) {
      if (filled == part.length) {
        uploadPart();
      }
      int n = Math.min(length, part.length - filled);
      System.arraycopy(bytes, offset, part, filled, n);
      filled += n;
      offset += n;
      length -= n;
    }
  }

  /** Closing does not publish: the object is published when its body returns. */
  @Override
  public void close() {}

  void complete() {
    if (uploadId == null) {
      storage.call("writing " + key, () -> s3.putObject(b -> b.bucket(bucket).key(key), body()));
      return;
    }
    if (filled > 0) {
      uploadPart();
    }
    storage.call(
        "completing " + key,
        () ->
            s3.completeMultipartUpload(
                b ->
                    b.bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts))));
  }

  /** Aborts a started upload, recording a failure to do so on {@code failure}. */
  void abort(Throwable failure) {
    if (uploadId == null) {
      return;
    }
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      // The bucket's lifecycle rule (AbortIncompleteMultipartUpload) removes it later.
      failure.addSuppressed(storage.unavailable("aborting the upload of " + key, e));
    }
  }

  private void uploadPart() {
    if (uploadId == null) {
      uploadId =
          storage
              .call(
                  "starting the upload of " + key,
                  () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key)))
              .uploadId();
    }
    int number = parts.size() + 1;
    String etag =
        storage
            .call(
                "uploading part " + number + " of " + key,
                () ->
                    s3.uploadPart(
                        b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                        body()))
            .eTag();
    parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    filled = 0;
  }

  /** The buffered bytes, re-readable from the start for each retry, never copied. */
  private RequestBody body() {
    int length = filled;
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(part, 0, length), length, "application/octet-stream");
  }
}
