package dev.bertforge.trainer.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fused attention (PyTorch's kernels through TorchScript) against the eager NDArray attention, which
 * {@link HfParityTest} holds to transformers: logits, loss and every gradient, on the kinds of rows training and
 * inference see (packed documents with padding, right-padded rows, an HF mask with a hole, full rows).
 */
class FusedAttentionTest {

  static final ModernBertConfig EAGER = ModelTest.SMALL.toBuilder().attentionOutputDropout(0f)
      .attention(AttentionImplementation.EAGER).build();
  static final ModernBertConfig FUSED = EAGER.toBuilder().attention(AttentionImplementation.FUSED).build();

  @Test
  void givesTheLogitsLossAndGradientsOfEagerAttention() {
    long[][] rows = ModelTest.randomRows(3, 90, 21);
    long[][] ragged = {rows[0], java.util.Arrays.copyOf(rows[1], 61), java.util.Arrays.copyOf(rows[2], 17)};
    int[][] holes = {onesWithZeros(90, 40, 41, 42), onesWithZeros(90), onesWithZeros(90, 89)};
    List<EncoderInput> inputs = List.of(
        EncoderInput.ofDocuments(rows, new int[][] {{30, 25, 20}, {90}, {1, 88}}, 3), // packed, padding after
        EncoderInput.ofRows(ragged, 3), // right-padded
        EncoderInput.ofAttentionMask(rows, holes, 3), // a hole inside a row: the boolean-mask fallback
        EncoderInput.ofRows(new long[][] {rows[0], rows[1]}, 3)); // full rows, nothing masked
    for (EncoderInput input : inputs) {
      assertSameAsEager(input);
    }
  }

  @Test
  void localLayersByBlocksGiveTheResultsOfEagerAttention() {
    long[][] rows = ModelTest.randomRows(2, 90, 13);
    List<EncoderInput> inputs = List.of(
        EncoderInput.ofDocuments(rows, new int[][] {{30, 25, 20}, {1, 88}}, 3),
        EncoderInput.ofRows(new long[][] {rows[0], java.util.Arrays.copyOf(rows[1], 61)}, 3));
    System.setProperty(AttentionMasks.BANDED_LOCAL_MAX_LENGTH_PROPERTY, "0"); // every row by blocks
    try {
      for (EncoderInput input : inputs) {
        assertSameAsEager(input);
      }
    } finally {
      System.clearProperty(AttentionMasks.BANDED_LOCAL_MAX_LENGTH_PROPERTY);
    }
  }

  private static void assertSameAsEager(EncoderInput input) {
    long[] labels = labels(input);
    Result eager = run(EAGER, input, labels);
    Result fused = run(FUSED, input, labels);
    assertThat(maxDiff(eager.logits, fused.logits, realPositions(input), EAGER.vocabSize()), lessThan(1e-5));
    assertThat((double) Math.abs(eager.loss - fused.loss), lessThan(1e-5 * Math.abs(eager.loss)));
    assertThat(fused.correct, equalTo(eager.correct));
    for (Map.Entry<String, float[]> e : eager.gradients.entrySet()) {
      float[] a = e.getValue();
      float[] b = fused.gradients.get(e.getKey());
      assertThat(e.getKey(), maxDiff(a, b, null, 1), lessThan(1e-5 * Math.max(1e-12, maxDiff(a, new float[a.length],
          null, 1))));
    }
  }

  @Test
  void theLossIsTheSameInChunksOfAFewRows() {
    long[][] rows = ModelTest.randomRows(2, 70, 6);
    EncoderInput input = EncoderInput.ofDocuments(rows, new int[][] {{30, 40}, {70}}, 3);
    long[] labels = labels(input);
    Result whole = run(FUSED, input, labels);
    System.setProperty(FusedMlmLoss.CHUNK_BYTES_PROPERTY, Long.toString(3L * FUSED.vocabSize() * Float.BYTES));
    Result chunked;
    try {
      chunked = run(FUSED, input, labels);
    } finally {
      System.clearProperty(FusedMlmLoss.CHUNK_BYTES_PROPERTY);
    }
    assertThat((double) Math.abs(whole.loss - chunked.loss), lessThan(1e-6 * Math.abs(whole.loss)));
    for (Map.Entry<String, float[]> e : whole.gradients.entrySet()) {
      float[] a = e.getValue();
      assertThat(e.getKey(), maxDiff(a, chunked.gradients.get(e.getKey()), null, 1),
          lessThan(1e-6 * Math.max(1e-12, maxDiff(a, new float[a.length], null, 1))));
    }
  }

  @Test
  void bfloat16AttentionStaysCloseAndFinite() {
    ModernBertConfig bf16 = FUSED.toBuilder().attentionPrecision(AttentionPrecision.BFLOAT16).build();
    long[][] rows = ModelTest.randomRows(2, 80, 4);
    EncoderInput input = EncoderInput.ofDocuments(rows, new int[][] {{50, 20}, {80}}, 3);
    long[] labels = labels(input);
    Result exact = run(FUSED, input, labels);
    Result low = run(bf16, input, labels);
    for (float v : low.logits) {
      assertTrue(Float.isFinite(v), "no NaN or infinity, padding rows included");
    }
    assertThat(maxDiff(exact.logits, low.logits, realPositions(input), FUSED.vocabSize()), lessThan(2e-2));
    assertThat((double) Math.abs(exact.loss - low.loss), lessThan(1e-2 * Math.abs(exact.loss)));
  }

  @Test
  void segmentsAreTheDocumentsAndPaddingOfEachRow() {
    long[][] rows = ModelTest.randomRows(2, 10, 1);
    EncoderInput packed = EncoderInput.ofDocuments(new long[][] {rows[0], java.util.Arrays.copyOf(rows[1], 6)},
        new int[][] {{4, 6}, {6}}, 3);
    List<long[]> segments = AttentionMasks.segments(packed);
    assertThat(segments.stream().map(java.util.Arrays::toString).toList(), equalTo(List.of(
        "[0, 0, 4, 1]", "[0, 4, 10, 1]", "[1, 0, 6, 1]", "[1, 6, 10, 0]")));
    EncoderInput hole = EncoderInput.ofAttentionMask(new long[][] {rows[0]}, new int[][] {onesWithZeros(10, 5)}, 3);
    assertThat(AttentionMasks.segments(hole), nullValue());
  }

  private record Result(float[] logits, float loss, long correct, Map<String, float[]> gradients) {}

  private static Result run(ModernBertConfig config, EncoderInput input, long[] labels) {
    try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
      ModernBertForMaskedLM model = new ModernBertForMaskedLM(config);
      model.initialize(manager, 8L);
      ParameterStore ps = new ParameterStore(manager, false);
      float[] logits = model.logits(ps, input, manager).toFloatArray();
      long correct = model.forward(ps, input, labels, manager, false).correct();
      float loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        MlmOutput out = model.forward(ps, input, labels, manager, true);
        loss = out.meanLoss().getFloat();
        out.backward(collector, 1f / out.count());
      }
      return new Result(logits, loss, correct, CheckpointedBackwardTest.takeGradients(model));
    }
  }

  private static long[] labels(EncoderInput input) {
    long[] labels = new long[input.batchSize() * input.length()];
    for (int i = 0; i < labels.length; i++) {
      boolean real = input.docIds()[i] != EncoderInput.PADDING;
      labels[i] = real && i % 3 == 1 ? input.ids()[i] : ModernBertForMaskedLM.IGNORE_INDEX;
    }
    return labels;
  }

  private static int[] realPositions(EncoderInput input) {
    int[] real = new int[input.docIds().length];
    for (int i = 0; i < real.length; i++) {
      real[i] = input.docIds()[i] == EncoderInput.PADDING ? 0 : 1;
    }
    return real;
  }

  private static int[] onesWithZeros(int length, int... zeros) {
    int[] mask = new int[length];
    java.util.Arrays.fill(mask, 1);
    for (int z : zeros) {
      mask[z] = 0;
    }
    return mask;
  }

  private static double maxDiff(float[] a, float[] b, int[] mask, int width) {
    return HfParityTest.maxDiff(a, b, width, mask);
  }
}
