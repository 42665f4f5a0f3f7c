package dev.bertforge.trainer.data;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the records of one TFRecord shard in order, checking both CRCs of every record.
 *
 * <p>Files ending in {@code .gz} or {@code .zst} are decompressed on the fly (TFRecordIO's GZIP and ZSTD
 * compression); byte offsets then count decompressed bytes.
 */
public final class TfRecordReader implements Closeable {
  /** A record longer than this is taken as a corrupt length field even if its CRC matched. */
  private static final long MAX_RECORD_BYTES = Integer.MAX_VALUE - 16;

  private final Path shard;
  private final InputStream in;
  private final byte[] header = new byte[TfRecordFraming.HEADER_BYTES];
  private final byte[] crc = new byte[TfRecordFraming.CRC_BYTES];
  private long position;
  private long lastRecordOffset = -1;

  public TfRecordReader(Path shard) throws IOException {
    this.shard = shard;
    this.in = open(shard);
  }

  private static InputStream open(Path shard) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(shard), 1 << 16);
    String name = shard.getFileName().toString();
    if (name.endsWith(".gz")) {
      return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
    }
    if (name.endsWith(".zst")) {
      return new BufferedInputStream(new ZstdInputStream(raw), 1 << 16);
    }
    return raw;
  }

  /** The next record's payload, or {@code null} at the end of the shard. */
  public byte[] next() throws IOException {
    long recordOffset = position;
    int headerRead = readFully(header, header.length);
    if (headerRead == 0) {
      return null;
    }
    if (headerRead < header.length) {
      throw corrupt(recordOffset, "truncated header (" + headerRead + " of " + header.length + " bytes)");
    }
    int storedLengthCrc = littleEndianInt(header, TfRecordFraming.LENGTH_BYTES);
    if (storedLengthCrc != TfRecordFraming.maskedCrc32c(header, 0, TfRecordFraming.LENGTH_BYTES)) {
      throw corrupt(recordOffset, "length CRC mismatch");
    }
    long length = ByteBuffer.wrap(header, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (length < 0 || length > MAX_RECORD_BYTES) {
      throw corrupt(recordOffset, "implausible record length " + Long.toUnsignedString(length));
    }
    byte[] data = new byte[(int) length];
    int dataRead = readFully(data, data.length);
    if (dataRead < data.length) {
      throw corrupt(recordOffset, "truncated data (" + dataRead + " of " + length + " bytes)");
    }
    if (readFully(crc, crc.length) < crc.length) {
      throw corrupt(recordOffset, "truncated data CRC");
    }
    if (littleEndianInt(crc, 0) != TfRecordFraming.maskedCrc32c(data, 0, data.length)) {
      throw corrupt(recordOffset, "data CRC mismatch");
    }
    lastRecordOffset = recordOffset;
    return data;
  }

  /** Byte offset of the record {@link #next()} returned last. */
  public long lastRecordOffset() {
    return lastRecordOffset;
  }

  public Path shard() {
    return shard;
  }

  private CorruptShardException corrupt(long recordOffset, String problem) {
    return new CorruptShardException(shard, recordOffset, problem);
  }

  private int readFully(byte[] buffer, int length) throws IOException {
    int total = 0;
    while (total < length) {
      int n;
      try {
        n = in.read(buffer, total, length - total);
      } catch (EOFException e) {
        n = -1; // GZIPInputStream throws this on a truncated member
      }
      if (n < 0) {
        break;
      }
      total += n;
    }
    position += total;
    return total;
  }

  private static int littleEndianInt(byte[] bytes, int offset) {
    return ByteBuffer.wrap(bytes, offset, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
