package dev.bertforge.options;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** Compression of token shard files; both are what TensorFlow's {@code TFRecordDataset} reads. */
public enum ShardCompression {
  /** Plain {@code .tfrecord} files. */
  NONE(""),
  /** {@code .tfrecord.gz}; TensorFlow reads them with {@code compression_type="GZIP"}. */
  GZIP(".gz");

  private final String suffix;

  ShardCompression(String suffix) {
    this.suffix = suffix;
  }

  /** What follows {@code .tfrecord} in a shard's file name. */
  public String suffix() {
    return suffix;
  }

  /** Parses {@code none|gzip} in any case (Beam's option parser calls this through Jackson). */
  @JsonCreator
  public static ShardCompression parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown compression '" + name + "': expected none or gzip");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
