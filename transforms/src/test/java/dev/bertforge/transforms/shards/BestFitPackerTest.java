package dev.bertforge.transforms.shards;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BestFitPackerTest {
  @Test
  void placesEverySegmentAsTheBruteForceBestFitDoes() {
    Random random = new Random(7);
    for (int trial = 0; trial < 20; trial++) {
      int maxSeqLen = 16 + random.nextInt(200);
      List<Segment> segments = new ArrayList<>();
      for (int i = 0, n = 1 + random.nextInt(300); i < n; i++) {
        segments.add(Segment.windows(SegmentTest.document(1 + random.nextInt(maxSeqLen - 2)), maxSeqLen).get(0));
      }
      List<TokenRow> rows = BestFitPacker.pack(segments, maxSeqLen);
      assertThat(lengths(rows), equalTo(bruteForceRowLengths(segments, maxSeqLen)));
    }
  }

  @Test
  void fillsRowsOfRealisticDocumentsToOver99Percent() {
    // document lengths spread like web text: many short, a long tail (log-normal, median ~300 tokens)
    Random random = new Random(11);
    int maxSeqLen = 1024;
    List<Segment> segments = new ArrayList<>();
    long tokens = 0;
    for (int i = 0; i < 20000; i++) {
      int content = (int) Math.max(1, Math.exp(5.7 + 1.2 * random.nextGaussian()));
      for (Segment s : Segment.windows(SegmentTest.document(content), maxSeqLen)) {
        segments.add(s);
        tokens += s.length();
      }
    }
    List<TokenRow> rows = BestFitPacker.pack(segments, maxSeqLen);
    assertThat(rows.stream().mapToLong(TokenRow::length).sum(), equalTo(tokens));
    assertThat((double) tokens / ((double) rows.size() * maxSeqLen), greaterThan(0.99));
  }

  private static List<Integer> lengths(List<TokenRow> rows) {
    return rows.stream().map(TokenRow::length).toList();
  }

  /** Best fit decreasing the slow, obvious way: scan every row for the tightest one that fits. */
  private static List<Integer> bruteForceRowLengths(List<Segment> segments, int maxSeqLen) {
    List<Segment> sorted = new ArrayList<>(segments);
    sorted.sort(Comparator.comparingInt(Segment::length).reversed());
    List<Integer> rows = new ArrayList<>();
    for (Segment s : sorted) {
      int best = -1;
      for (int r = 0; r < rows.size(); r++) {
        int room = maxSeqLen - rows.get(r);
        if (room >= s.length() && (best < 0 || room < maxSeqLen - rows.get(best))) {
          best = r;
        }
      }
      if (best < 0) {
        rows.add(s.length());
      } else {
        rows.set(best, rows.get(best) + s.length());
      }
    }
    return rows;
  }
}
