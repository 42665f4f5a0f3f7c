package dev.bertforge.trainer.data;

import java.util.zip.CRC32C;

/**
 * The TFRecord framing constants and TensorFlow's masked CRC32C.
 *
 * <p>A record is {@code uint64 length | uint32 masked_crc32c(length) | data[length] | uint32
 * masked_crc32c(data)}, all little-endian (TensorFlow's python_io "TFRecords Format Details", Beam's
 * {@code TFRecordIO.TFRecordCodec}).
 */
final class TfRecordFraming {
  static final int LENGTH_BYTES = 8;
  static final int CRC_BYTES = 4;
  static final int HEADER_BYTES = LENGTH_BYTES + CRC_BYTES;
  private static final int MASK_DELTA = 0xa282ead8;

  private TfRecordFraming() {}

  /** The masked CRC32C of {@code bytes[offset, offset + length)}, as TFRecord stores it. */
  static int maskedCrc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int value = (int) crc.getValue();
    // TensorFlow rotates right by 15 and adds a constant so that CRCs of CRCs do not look like data.
    return ((value >>> 15) | (value << 17)) + MASK_DELTA;
  }
}
