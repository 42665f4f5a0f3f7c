package dev.bertforge.transforms.shards;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * Writes TFRecord framing, as TensorFlow and Beam's {@code TFRecordIO} read it: little-endian uint64 length, masked
 * CRC32C of those 8 bytes, the record, masked CRC32C of the record.
 */
public final class TfRecordWriter {
  private static final int MASK_DELTA = 0xa282ead8;

  private final OutputStream out;
  private final byte[] header = new byte[12];
  private final byte[] footer = new byte[4];

  public TfRecordWriter(OutputStream out) {
    this.out = out;
  }

  public void write(byte[] record) throws IOException {
    long length = record.length;
    for (int i = 0; i < 8; i++) {
      header[i] = (byte) (length >>> (8 * i));
    }
    putIntLittleEndian(header, 8, maskedCrc32c(header, 0, 8));
    out.write(header);
    out.write(record);
    putIntLittleEndian(footer, 0, maskedCrc32c(record, 0, record.length));
    out.write(footer);
  }

  /** TFRecord's masked CRC32C: the CRC rotated right by 15 bits plus a constant. */
  static int maskedCrc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  private static void putIntLittleEndian(byte[] b, int at, int v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
