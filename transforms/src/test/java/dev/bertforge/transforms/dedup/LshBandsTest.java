package dev.bertforge.transforms.dedup;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LshBandsTest {

  /** optimal_param.tsv was made by optimal_param.py, datasketch's grid search with scipy's quad. */
  @Test
  void optimalParametersMatchDatasketch() throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                getClass().getResourceAsStream("/dedup/optimal_param.tsv"), StandardCharsets.UTF_8))) {
      in.readLine();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        rows.add(line.split("\t"));
      }
    }
    assertThat(rows.size(), equalTo(10));
    for (String[] row : rows) {
      LshBands bands = LshBands.optimal(Double.parseDouble(row[0]), Integer.parseInt(row[1]));
      assertThat(
          "threshold " + row[0] + ", " + row[1] + " permutations",
          bands,
          equalTo(new LshBands(Integer.parseInt(row[2]), Integer.parseInt(row[3]))));
    }
  }

  @Test
  void theDefaultIs25BandsOf10Rows() {
    assertThat(LshBands.optimal(0.7, 256), equalTo(new LshBands(25, 10)));
    assertThat(new LshBands(25, 10).candidateProbability(0.7), closeTo(1 - Math.pow(1 - Math.pow(0.7, 10), 25), 0));
  }

  @Test
  void equalBandsGiveEqualKeysAndBandIndexIsPartOfTheKey() {
    MinHasher hasher = new MinHasher(16, 1);
    LshBands bands = new LshBands(4, 4);
    byte[] a = hasher.signature(new long[] {1, 2, 3, 4, 5, 6, 7, 8});
    byte[] b = hasher.signature(new long[] {1, 2, 3, 4, 5, 6, 7, 9});
    long[] ka = bands.keys(hasher, a);
    long[] kb = bands.keys(hasher, b);
    for (int band = 0; band < 4; band++) {
      boolean equalComponents = true;
      for (int row = 0; row < 4; row++) {
        equalComponents &= hasher.component(a, band * 4 + row) == hasher.component(b, band * 4 + row);
      }
      assertThat(ka[band] == kb[band], equalTo(equalComponents));
    }
    byte[] constant = hasher.signature(new long[] {42});
    long[] kc = bands.keys(hasher, constant);
    assertThat(kc[0], not(equalTo(kc[1])));
  }
}
