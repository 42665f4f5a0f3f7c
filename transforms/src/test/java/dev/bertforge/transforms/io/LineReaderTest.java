package dev.bertforge.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
  private static List<String> read(String content, int maxLineBytes) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    LineReader lines = new LineReader(new ByteArrayInputStream(bytes), 0, maxLineBytes);
    List<String> out = new ArrayList<>();
    while (lines.next()) {
      String line = lines.tooLong() ? "<too long>" : new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8);
      out.add(lines.start() + "-" + lines.end() + ":" + line);
    }
    return out;
  }

  @Test
  void splitsOnNewlinesKeepingOffsets() throws IOException {
    assertThat(read("a\r\nbc\n\nlast", 100), contains("0-3:a", "3-6:bc", "6-7:", "7-11:last"));
    assertThat(read("one\n", 100), contains("0-4:one"));
    assertThat(read("", 100).size(), equalTo(0));
  }

  @Test
  void skipsOverLongLinesWithoutKeepingThem() throws IOException {
    String longLine = "x".repeat(200_000);
    assertThat(read("ok\n" + longLine + "\nafter", 1000),
        contains("0-3:ok", "3-200004:<too long>", "200004-200009:after"));
  }
}
