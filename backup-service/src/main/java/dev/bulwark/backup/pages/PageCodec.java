package dev.bulwark.backup.pages;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The byte work of pages: decoding what the crawler sent, hashing, and the zstd frames they are
 * stored as. A frame made with a dictionary carries its id (zstd's frame header), which is how a
 * page is read back whichever dictionary was newest when it was written.
 */
public final class PageCodec {

  private PageCodec() {}

  /**
   * The raw HTML of {@code body}, at most {@code limit} bytes.
   *
   * @throws UndecodableBody when the body is not what its encoding says
   * @throws PageTooLarge when the decoded HTML is larger than {@code limit}
   */
  public static byte[] decode(ContentEncoding encoding, byte[] body, long limit) {
    if (encoding == ContentEncoding.IDENTITY) {
      return body;
    }
    try (InputStream in =
        encoding == ContentEncoding.GZIP
            ? new GZIPInputStream(new ByteArrayInputStream(body))
            : new ZstdInputStream(new ByteArrayInputStream(body))) {
      // One byte past the limit tells "too large" from "exactly the limit".
      byte[] html = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (html.length > limit) {
        throw new PageTooLarge("the decoded page", limit);
      }
      return html;
    } catch (IOException | ZstdException e) {
      throw new UndecodableBody(
          "the body does not decode as "
              + encoding.name().toLowerCase()
              + " ("
              + e.getMessage()
              + "); send the bytes as the crawler received them with their Content-Encoding");
    }
  }

  public static String sha256(byte[] html) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(html));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // A compression context per thread, reset for each page: a new one per page allocated and
  // cleared its tables every time (about half the cost of compressing a page at level 3).
  private static final ThreadLocal<ZstdCompressCtx> CONTEXTS =
      ThreadLocal.withInitial(ZstdCompressCtx::new);

  /** One zstd frame of {@code html}, with the dictionary's id in its header when one is given. */
  public static byte[] compress(byte[] html, Optional<ZstdDictionary> dictionary, int level) {
    ZstdCompressCtx context = CONTEXTS.get();
    context.reset();
    context.setLevel(level);
    dictionary.ifPresent(d -> context.loadDict(d.compressor(level)));
    return context.compress(html);
  }

  /** The dictionary id in a frame's header; empty for a frame made without one. */
  public static Optional<Long> dictionaryId(byte[] frame) {
    long id = Zstd.getDictIdFromFrame(frame);
    return id == 0 ? Optional.empty() : Optional.of(id);
  }

  /** The HTML of a stored frame; {@code dictionaries} loads the dictionary its header names. */
  public static byte[] decompress(
      byte[] frame, long rawBytes, LongFunction<ZstdDictionary> dictionaries) {
    Optional<Long> id = dictionaryId(frame);
    return id.isPresent()
        ? Zstd.decompress(frame, dictionaries.apply(id.get()).decompressor(), (int) rawBytes)
        : Zstd.decompress(frame, (int) rawBytes);
  }

  public static byte[] gzip(byte[] html) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(html.length / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(html);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
