package dev.bertforge.transforms.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines ({@code \n}, {@code \r\n}; the last line may lack its terminator), keeping each
 * line's byte offsets. A line longer than {@code maxLineBytes} is skipped through without being buffered and
 * reported by {@link #tooLong()}, so a binary file or a missing newline cannot exhaust memory.
 */
final class LineReader {
  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private long offset;

  private byte[] line = new byte[1 << 12];
  private int lineLength;
  private long lineStart;
  private boolean tooLong;

  LineReader(InputStream in, long startOffset, int maxLineBytes) {
    this.in = in;
    this.offset = startOffset;
    this.maxLineBytes = maxLineBytes;
  }

  /** Reads the next line; false at the end of the stream. */
  boolean next() throws IOException {
    lineStart = offset;
    lineLength = 0;
    tooLong = false;
    boolean sawBytes = false;
    while (true) {
      if (position >= limit) {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
          if (!sawBytes) {
            return false;
          }
          break;
        }
        position = 0;
        limit = n;
      }
      sawBytes = true;
      int newline = indexOfNewline(position, limit);
      int end = newline < 0 ? limit : newline;
      append(position, end - position);
      offset += end - position;
      position = end;
      if (newline >= 0) {
        position++;
        offset++;
        break;
      }
    }
    if (!tooLong && lineLength > 0 && line[lineLength - 1] == '\r') {
      lineLength--;
    }
    return true;
  }

  private int indexOfNewline(int from, int to) {
    for (int i = from; i < to; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void append(int from, int length) {
    if (tooLong) {
      return;
    }
    if ((long) lineLength + length > maxLineBytes) {
      tooLong = true;
      lineLength = 0;
      return;
    }
    if (lineLength + length > line.length) {
      int capacity = (int) Math.min((long) maxLineBytes, Math.max(2L * line.length, (long) lineLength + length));
      line = java.util.Arrays.copyOf(line, capacity);
    }
    System.arraycopy(buffer, from, line, lineLength, length);
    lineLength += length;
  }

  /** The current line's bytes, without its terminator; valid up to {@link #length()} until the next call. */
  byte[] bytes() {
    return line;
  }

  int length() {
    return lineLength;
  }

  /** The byte offset where the current line starts. */
  long start() {
    return lineStart;
  }

  /** The byte offset where the next line starts. */
  long end() {
    return offset;
  }

  /** True if the current line was longer than the limit; its bytes were not kept. */
  boolean tooLong() {
    return tooLong;
  }
}
