package dev.bertforge.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FilePartsTest {
  @Test
  void cutsAtLineStartsAndNumbersTheirFirstLines() throws IOException {
    byte[] bytes = "aaaa\nbb\ncccccc\nd\n\neeee".getBytes(StandardCharsets.UTF_8);
    // lines start at 0 (1), 5 (2), 8 (3), 15 (4), 17 (5), 18 (6)
    assertThat(FileParts.lines(new ByteArrayInputStream(bytes), bytes.length, 6),
        contains(new ReadRange(0, 8, 1), new ReadRange(8, 15, 3), new ReadRange(15, 22, 4)));
    assertThat(FileParts.lines(new ByteArrayInputStream(bytes), bytes.length, 100),
        contains(new ReadRange(0, 22, 1)));
  }

  /** The definition, byte by byte: a cut at the first line start at or after every step bytes. */
  private static List<ReadRange> reference(byte[] bytes, long step) {
    List<ReadRange> parts = new ArrayList<>();
    long start = 0;
    long firstLine = 1;
    long line = 1;
    long nextCut = step;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
        if (i + 1 >= nextCut && i + 1 < bytes.length) {
          parts.add(new ReadRange(start, i + 1, firstLine));
          start = i + 1;
          firstLine = line;
          nextCut = i + 1 + step;
        }
      }
    }
    parts.add(new ReadRange(start, bytes.length, firstLine));
    return parts;
  }

  @Test
  void wordAtATimeCountingMatchesTheByteByByteDefinition() throws IOException {
    Random random = new Random(5);
    for (int n = 0; n < 40; n++) {
      // Up to 3 MB so that reads cross the 1 MB buffer; lines of 0 to 300 bytes, sometimes newline runs.
      byte[] bytes = new byte[random.nextInt(3 << 20)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = random.nextInt(n % 3 == 0 ? 3 : 120) == 0 ? (byte) '\n' : (byte) ('a' + random.nextInt(26));
      }
      long step = 1 + random.nextInt(n % 2 == 0 ? 5000 : 1 << 20);
      assertThat("case " + n, FileParts.lines(new ByteArrayInputStream(bytes), bytes.length, step),
          equalTo(reference(bytes, step)));
    }
  }

  @Test
  void newlinesCountsEveryNewlineByteOfAWord() {
    Random random = new Random(9);
    for (int n = 0; n < 100_000; n++) {
      long word = 0;
      int expected = 0;
      for (int b = 0; b < 8; b++) {
        int value = random.nextInt(4) == 0 ? '\n' : random.nextInt(256);
        expected += value == '\n' ? 1 : 0;
        word |= (long) value << (8 * b);
      }
      assertThat(Long.toHexString(word), FileParts.newlines(word), equalTo(expected));
    }
  }
}
