package dev.bertforge.finetune;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The evaluation's figures: accuracy, macro-F1 and Matthews' correlation (multi-class, as scikit-learn's
 * {@code matthews_corrcoef}) from a confusion matrix; Pearson and Spearman (average ranks for ties) for a regression.
 */
final class Metrics {

  private Metrics() {}

  /** confusion[true][predicted] counts for {@code classes} labels. */
  static long[][] confusion(int[] truth, int[] predicted, int classes) {
    long[][] m = new long[classes][classes];
    for (int i = 0; i < truth.length; i++) {
      m[truth[i]][predicted[i]]++;
    }
    return m;
  }

  /** accuracy, macro_f1 (mean over labels; a label with no true and no predicted record counts 0) and mcc. */
  static Map<String, Double> classification(long[][] confusion) {
    int k = confusion.length;
    long n = 0;
    long correct = 0;
    long[] truePerClass = new long[k];
    long[] predictedPerClass = new long[k];
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        n += confusion[t][p];
        truePerClass[t] += confusion[t][p];
        predictedPerClass[p] += confusion[t][p];
      }
      correct += confusion[t][t];
    }
    double f1Sum = 0;
    for (int c = 0; c < k; c++) {
      long denominator = truePerClass[c] + predictedPerClass[c];
      f1Sum += denominator == 0 ? 0 : 2.0 * confusion[c][c] / denominator;
    }
    // MCC = (c·s − Σ p_k t_k) / sqrt((s² − Σ p_k²)(s² − Σ t_k²))
    double s = n;
    double pt = 0;
    double pp = 0;
    double tt = 0;
    for (int c = 0; c < k; c++) {
      pt += (double) predictedPerClass[c] * truePerClass[c];
      pp += (double) predictedPerClass[c] * predictedPerClass[c];
      tt += (double) truePerClass[c] * truePerClass[c];
    }
    double denominator = Math.sqrt((s * s - pp) * (s * s - tt));
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("accuracy", n == 0 ? 0 : (double) correct / n);
    out.put("macro_f1", f1Sum / k);
    out.put("mcc", denominator == 0 ? 0 : (correct * s - pt) / denominator);
    return out;
  }

  /** pearson, spearman and mse of predictions against truth. */
  static Map<String, Double> regression(double[] truth, double[] predicted) {
    double mse = 0;
    for (int i = 0; i < truth.length; i++) {
      mse += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("pearson", pearson(truth, predicted));
    out.put("spearman", pearson(ranks(truth), ranks(predicted)));
    out.put("mse", truth.length == 0 ? 0 : mse / truth.length);
    return out;
  }

  static double pearson(double[] a, double[] b) {
    double meanA = Arrays.stream(a).average().orElse(0);
    double meanB = Arrays.stream(b).average().orElse(0);
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (a[i] - meanA) * (b[i] - meanB);
      aa += (a[i] - meanA) * (a[i] - meanA);
      bb += (b[i] - meanB) * (b[i] - meanB);
    }
    return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
  }

  /** Ranks from 1, ties given the mean of the ranks they span. */
  static double[] ranks(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
    double[] ranks = new double[values.length];
    for (int start = 0; start < order.length; ) {
      int end = start;
      while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
        end++;
      }
      double rank = (start + end) / 2.0 + 1;
      for (int i = start; i <= end; i++) {
        ranks[order[i]] = rank;
      }
      start = end + 1;
    }
    return ranks;
  }
}
