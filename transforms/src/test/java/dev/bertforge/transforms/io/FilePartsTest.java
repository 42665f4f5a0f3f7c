package dev.bertforge.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
}
