package dev.bulwark.backup.pages;

import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A trained dictionary loaded for use; its digested forms are made once and shared. */
public final class ZstdDictionary {

  private final long id;
  private final byte[] bytes;
  private final Map<Integer, ZstdDictCompress> compressors = new ConcurrentHashMap<>();
  private volatile ZstdDictDecompress decompressor;

  public ZstdDictionary(long id, byte[] bytes) {
    this.id = id;
    this.bytes = bytes;
  }

  public long id() {
    return id;
  }

  public byte[] bytes() {
    return bytes;
  }

  ZstdDictCompress compressor(int level) {
    return compressors.computeIfAbsent(level, l -> new ZstdDictCompress(bytes, l));
  }

  ZstdDictDecompress decompressor() {
    if (decompressor == null) {
      decompressor = new ZstdDictDecompress(bytes);
    }
    return decompressor;
  }
}
