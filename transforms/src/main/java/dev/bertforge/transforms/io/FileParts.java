package dev.bertforge.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;

/** Cuts a file into {@link ReadRange}s of about a given size that know the number of their first record. */
final class FileParts {
  private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long NEWLINES = ONES * '\n';

  private FileParts() {}

  /** How many of the eight bytes of {@code word} are '\n' (exact: the carry-free form of the zero-byte test). */
  static int newlines(long word) {
    long x = word ^ NEWLINES; // a zero byte where word has '\n'
    long nonZero = ((x & ~HIGHS) + ~HIGHS | x) & HIGHS; // high bit set in each non-zero byte
    return 8 - Long.bitCount(nonZero);
  }

  /**
   * Line ranges of an uncompressed file of {@code size} bytes: cut at the first line start at or after every
   * {@code step} bytes, lines numbered from 1 by counting newlines.
   */
  static List<ReadRange> lines(InputStream in, long size, long step) throws IOException {
    List<long[]> cuts = new ArrayList<>(); // {offset, first line}
    byte[] buffer = new byte[1 << 20];
    long offset = 0;
    long line = 1;
    long nextCut = step;
    for (int n = in.readNBytes(buffer, 0, buffer.length); n > 0; n = in.readNBytes(buffer, 0, buffer.length)) {
      int i = 0;
      while (i < n) {
        // A newline before this position cannot start a line at or after the next cut: count those 8 at a time.
        long noCutBefore = nextCut - 1 - offset;
        if (i + 8 <= noCutBefore && i + 8 <= n) {
          line += newlines((long) WORDS.get(buffer, i));
          i += 8;
          continue;
        }
        if (buffer[i] == '\n') {
          line++;
          long lineStart = offset + i + 1;
          if (lineStart >= nextCut && lineStart < size) {
            cuts.add(new long[] {lineStart, line});
            nextCut = lineStart + step;
          }
        }
        i++;
      }
      offset += n;
    }
    List<ReadRange> parts = new ArrayList<>();
    long start = 0;
    long firstLine = 1;
    for (long[] cut : cuts) {
      parts.add(new ReadRange(start, cut[0], firstLine));
      start = cut[0];
      firstLine = cut[1];
    }
    parts.add(new ReadRange(start, size, firstLine));
    return parts;
  }

  /** Row-group ranges of a Parquet file: a new part once the groups so far hold {@code step} compressed bytes. */
  static List<ReadRange> parquet(MatchResult.Metadata file, long step) throws IOException {
    List<BlockMetaData> groups;
    try (ParquetFileReader reader = ParquetFileReader.open(new ChannelInputFile(file))) {
      groups = reader.getRowGroups();
    }
    List<ReadRange> parts = new ArrayList<>();
    long start = 0;
    long firstRow = 0;
    long row = 0;
    long bytes = 0;
    for (int g = 0; g < groups.size(); g++) {
      bytes += groups.get(g).getCompressedSize();
      row += groups.get(g).getRowCount();
      if (bytes >= step && g + 1 < groups.size()) {
        parts.add(new ReadRange(start, g + 1, firstRow));
        start = g + 1;
        firstRow = row;
        bytes = 0;
      }
    }
    parts.add(new ReadRange(start, Math.max(start + 1, groups.size()), firstRow));
    return parts;
  }
}
