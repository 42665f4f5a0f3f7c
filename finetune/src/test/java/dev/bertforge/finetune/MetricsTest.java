package dev.bertforge.finetune;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics against values worked out by hand from their definitions (scikit-learn's and scipy's). */
class MetricsTest {

  @Test
  void accuracyMacroF1AndMatthewsOfAThreeClassConfusion() {
    int[] truth = {0, 0, 0, 1, 1, 2, 2, 2, 2, 1};
    int[] predicted = {0, 1, 0, 1, 2, 2, 2, 0, 2, 1};
    long[][] m = Metrics.confusion(truth, predicted, 3);
    assertArrayEquals(new long[] {2, 1, 0}, m[0]);
    assertArrayEquals(new long[] {0, 2, 1}, m[1]);
    assertArrayEquals(new long[] {1, 0, 3}, m[2]);
    Map<String, Double> out = Metrics.classification(m);
    assertThat(out.get("accuracy"), closeTo(0.7, 1e-12));
    // F1 per class: 2·2/(3+3), 2·2/(3+3), 2·3/(4+4)
    assertThat(out.get("macro_f1"), closeTo((4.0 / 6 + 4.0 / 6 + 6.0 / 8) / 3, 1e-12));
    // MCC: c=7, s=10, t=(3,3,4), p=(3,3,4): (70 − 34) / sqrt((100 − 34)(100 − 34))
    assertThat(out.get("mcc"), closeTo(36.0 / 66.0, 1e-12));
  }

  @Test
  void matthewsOfABinaryConfusionIsThePhiCoefficient() {
    long[][] m = {{5, 2}, {1, 4}}; // tn fp / fn tp
    double tp = 4;
    double tn = 5;
    double fp = 2;
    double fn = 1;
    double phi = (tp * tn - fp * fn) / Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
    assertThat(Metrics.classification(m).get("mcc"), closeTo(phi, 1e-12));
  }

  @Test
  void pearsonAndSpearmanWithTies() {
    double[] truth = {1, 2, 3, 4, 5};
    double[] predicted = {2, 1, 4, 4, 7};
    // predicted ranks with the tie averaged: 2, 1, 3.5, 3.5, 5
    assertArrayEquals(new double[] {2, 1, 3.5, 3.5, 5}, Metrics.ranks(predicted), 1e-12);
    Map<String, Double> out = Metrics.regression(truth, predicted);
    // pearson: means 3 and 3.6; Σ(dx·dy) = 13, Σdx² = 10, Σdy² = 21.2
    assertThat(out.get("pearson"), closeTo(13 / Math.sqrt(10 * 21.2), 1e-12));
    // spearman = pearson of ranks: Σ(dx·dy) = 8.5, Σdx² = 10, Σdy² = 9.5
    assertThat(out.get("spearman"), closeTo(8.5 / Math.sqrt(10 * 9.5), 1e-12));
    assertThat(out.get("mse"), closeTo((1 + 1 + 1 + 0 + 4) / 5.0, 1e-12));
  }
}
