package dev.bertforge.runners.testing;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * {@code TfRecordLines FILE...}: prints every record of the TFRecord files as one hex line, after checking its
 * length and data CRCs, so that two runs' shards compare with {@code sort | cmp} whatever the sharding.
 */
public final class TfRecordLines {

  private TfRecordLines() {}

  public static void main(String[] args) throws IOException {
    HexFormat hex = HexFormat.of();
    for (String file : args) {
      try (DataInputStream in = new DataInputStream(open(file))) {
        long record = 0;
        byte[] header = new byte[8];
        while (readFully(in, header)) {
          long length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
          check(in.readInt(), header, file, record, "length");
          byte[] data = new byte[Math.toIntExact(length)];
          in.readFully(data);
          check(in.readInt(), data, file, record, "data");
          System.out.println(hex.formatHex(data));
          record++;
        }
      }
    }
  }

  private static InputStream open(String file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(Paths.get(file)));
    return file.endsWith(".gz") ? new GZIPInputStream(in) : in;
  }

  /** False at a clean end of file, before the first byte of a record. */
  private static boolean readFully(DataInputStream in, byte[] into) throws IOException {
    int first = in.read();
    if (first < 0) {
      return false;
    }
    into[0] = (byte) first;
    try {
      in.readFully(into, 1, into.length - 1);
    } catch (EOFException e) {
      throw new IOException("truncated record header", e);
    }
    return true;
  }

  private static void check(int storedBigEndian, byte[] bytes, String file, long record, String what) {
    int stored = Integer.reverseBytes(storedBigEndian);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes);
    int value = (int) crc.getValue();
    int masked = ((value >>> 15) | (value << 17)) + 0xa282ead8;
    if (masked != stored) {
      throw new IllegalStateException(file + " record " + record + ": bad " + what + " CRC");
    }
  }
}
