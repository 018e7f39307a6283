package dev.bulwark.backup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3 bucket under a key prefix ({@code s3://bucket/prefix}), through the synchronous
 * AWS SDK v2 client. Large objects go up as multipart uploads ({@link MultipartUpload}), which S3
 * shows only once completed.
 */
public final class S3Storage implements ObjectStorage {

  private final S3Client s3;
  private final StorageUrl.S3 url;
  private final int partSize;
  private final int pageSize;

  /**
   * Storage on {@code s3}'s bucket and prefix, which it closes with itself.
   *
   * @param partSize bytes per uploaded part (at least 5 MiB, S3's minimum), the memory one put
   *     holds
   * @param pageSize keys per list request (S3 answers at most 1000)
   */
  public S3Storage(S3Client s3, StorageUrl.S3 url, int partSize, int pageSize) {
    this.s3 = s3;
    this.url = url;
    this.partSize = partSize;
    this.pageSize = pageSize;
  }

  @Override
  public StoredObject put(ObjectKey key, ObjectBody body) throws IOException {
    MultipartUpload upload = new MultipartUpload(this, url.bucket(), s3Key(key), partSize);
    try {
      body.writeTo(upload);
      upload.complete();
    } catch (IOException | RuntimeException | Error e) {
      upload.abort(e);
      throw e;
    }
    return head(key).orElseThrow(() -> new ObjectNotFound(key));
  }

  @Override
  public InputStream get(ObjectKey key) {
    try {
      return body(key, s3.getObject(b -> b.bucket(url.bucket()).key(s3Key(key))));
    } catch (NoSuchKeyException e) {
      throw new ObjectNotFound(key);
    } catch (SdkException e) {
      throw unavailable("reading " + key, e);
    }
  }

  private InputStream body(ObjectKey key, ResponseInputStream<GetObjectResponse> response) {
    Long length = response.response().contentLength();
    return new S3BodyStream(
        response, location(), "reading " + key, length == null ? -1 : length.longValue());
  }

  @Override
  public InputStream get(ObjectKey key, ByteRange range) {
    String header =
        "bytes=" + range.offset() + "-" + (range.toTheEnd() ? "" : String.valueOf(range.last()));
    try {
      return body(key, s3.getObject(b -> b.bucket(url.bucket()).key(s3Key(key)).range(header)));
    } catch (NoSuchKeyException e) {
      throw new ObjectNotFound(key);
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        // Range Not Satisfiable: the range starts at or past the end; an existing object, read
        // from there, is empty (and a missing one is still not found).
        head(key).orElseThrow(() -> new ObjectNotFound(key));
        return InputStream.nullInputStream();
      }
      throw unavailable("reading " + key, e);
    } catch (SdkException e) {
      throw unavailable("reading " + key, e);
    }
  }

  @Override
  public Optional<StoredObject> head(ObjectKey key) {
    HeadObjectResponse head;
    try {
      head = s3.headObject(b -> b.bucket(url.bucket()).key(s3Key(key)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw unavailable("reading " + key, e);
    } catch (SdkException e) {
      throw unavailable("reading " + key, e);
    }
    return Optional.of(
        new StoredObject(
            key, head.contentLength(), head.lastModified(), Optional.ofNullable(head.eTag())));
  }

  @Override
  public Stream<StoredObject> list(String prefix) {
    ObjectKey.validPrefix(prefix);
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                new Pages(url.prefix() + prefix), Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        // Keys written by other tools that this type would not accept are not our objects.
        .filter(object -> ObjectKey.isValid(object.key().substring(url.prefix().length())))
        .map(
            object ->
                new StoredObject(
                    ObjectKey.of(object.key().substring(url.prefix().length())),
                    object.size(),
                    object.lastModified(),
                    Optional.ofNullable(object.eTag())));
  }

  @Override
  public void delete(ObjectKey key) {
    call("deleting " + key, () -> s3.deleteObject(b -> b.bucket(url.bucket()).key(s3Key(key))));
  }

  @Override
  public String location() {
    return url.toString();
  }

  @Override
  public void close() {
    s3.close();
  }

  S3Client client() {
    return s3;
  }

  /** Runs one S3 call, turning its failures into {@link StorageUnavailable}. */
  @Override
  public int dropUnfinishedWrites(String prefix, Instant before) {
    ObjectKey.validPrefix(prefix);
    int dropped = 0;
    String keyMarker = null;
    String uploadMarker = null;
    while (true) {
      String keys = keyMarker;
      String uploads = uploadMarker;
      ListMultipartUploadsResponse page =
          call(
              "listing unfinished uploads",
              () ->
                  s3.listMultipartUploads(
                      b ->
                          b.bucket(url.bucket())
                              .prefix(url.prefix() + prefix)
                              .keyMarker(keys)
                              .uploadIdMarker(uploads)));
      // The SDK's MultipartUpload, not ours: an upload S3 still holds parts of.
      for (var upload : page.uploads()) {
        if (upload.initiated().isBefore(before)) {
          call(
              "aborting the unfinished upload of " + upload.key(),
              () ->
                  s3.abortMultipartUpload(
                      b -> b.bucket(url.bucket()).key(upload.key()).uploadId(upload.uploadId())));
          dropped++;
        }
      }
      if (!Boolean.TRUE.equals(page.isTruncated())) {
        return dropped;
      }
      keyMarker = page.nextKeyMarker();
      uploadMarker = page.nextUploadIdMarker();
    }
  }

  <T> T call(String what, Supplier<T> request) {
    try {
      return request.get();
    } catch (SdkException e) {
      throw unavailable(what, e);
    }
  }

  StorageUnavailable unavailable(String what, SdkException e) {
    if (e instanceof S3Exception s3e) {
      String code =
          s3e.awsErrorDetails() == null || s3e.awsErrorDetails().errorCode() == null
              ? ""
              : " " + s3e.awsErrorDetails().errorCode();
      return new StorageUnavailable(
          location(), what + " was refused: HTTP " + s3e.statusCode() + code);
    }
    if (e instanceof SdkClientException) {
      return new StorageUnavailable(location(), what + " failed: " + e.getMessage());
    }
    return new StorageUnavailable(location(), what + " failed: " + e.getClass().getSimpleName());
  }

  private String s3Key(ObjectKey key) {
    return url.prefix() + key.value();
  }

  /** One ListObjectsV2 request per page, issued when the previous page is used up. */
  private final class Pages implements Iterator<S3Object> {

    private final String s3Prefix;
    private Iterator<S3Object> page = Collections.emptyIterator();
    private String continuation;
    private boolean last;

    Pages(String s3Prefix) {
      this.s3Prefix = s3Prefix;
    }

    @Override
    public boolean hasNext() {
      while (!page.hasNext() && !last) {
        ListObjectsV2Response response =
            call(
                "listing " + s3Prefix,
                () ->
                    s3.listObjectsV2(
                        b ->
                            b.bucket(url.bucket())
                                .prefix(s3Prefix)
                                .maxKeys(pageSize)
                                .continuationToken(continuation)));
        page = response.contents().iterator();
        continuation = response.nextContinuationToken();
        last = !Boolean.TRUE.equals(response.isTruncated()) || continuation == null;
      }
      return page.hasNext();
    }

    @Override
    public S3Object next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return page.next();
    }
  }
}
