package dev.bertforge.transforms.shards;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentTest {
  private static final int CLS = 1;
  private static final int SEP = 2;

  /** [CLS] 100 101 … (100+n-1) [SEP] */
  static int[] document(int contentTokens) {
    int[] ids = new int[contentTokens + 2];
    ids[0] = CLS;
    for (int i = 0; i < contentTokens; i++) {
      ids[i + 1] = 100 + i;
    }
    ids[ids.length - 1] = SEP;
    return ids;
  }

  static int[] tokens(Segment segment) {
    int[] row = new int[segment.length()];
    assertThat(segment.copyTo(row, 0), equalTo(row.length));
    return row;
  }

  @Test
  void aDocumentThatFitsIsOneSegmentEqualToIt() {
    int[] doc = document(6);
    List<Segment> windows = Segment.windows(doc, 8);
    assertThat(windows.size(), equalTo(1));
    assertThat(tokens(windows.get(0)), equalTo(doc));
  }

  @Test
  void windowsAreWrappedAndCoverTheContentOnce() {
    for (int content = 1; content <= 40; content++) {
      int[] doc = document(content);
      List<Segment> windows = Segment.windows(doc, 8);
      int[] rejoined = new int[0];
      for (Segment w : windows) {
        int[] t = tokens(w);
        assertThat(t.length <= 8, equalTo(true));
        assertThat(t[0], equalTo(CLS));
        assertThat(t[t.length - 1], equalTo(SEP));
        int[] inner = Arrays.copyOfRange(t, 1, t.length - 1);
        int[] grown = Arrays.copyOf(rejoined, rejoined.length + inner.length);
        System.arraycopy(inner, 0, grown, rejoined.length, inner.length);
        rejoined = grown;
      }
      assertThat(rejoined, equalTo(Arrays.copyOfRange(doc, 1, doc.length - 1)));
      assertThat(windows.size(), equalTo((content + 5) / 6)); // ceil(content / (8 - 2))
    }
  }

  @Test
  void truncationKeepsTheFirstTokensAndEndsInSep() {
    assertThat(tokens(Segment.truncated(document(10), 8)), equalTo(new int[] {CLS, 100, 101, 102, 103, 104, 105, SEP}));
    assertThat(tokens(Segment.truncated(document(3), 8)), equalTo(document(3)));
  }
}
