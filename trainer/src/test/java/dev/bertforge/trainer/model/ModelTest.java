package dev.bertforge.trainer.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Initialisation, chunked global attention, sparse prediction and input validation. */
class ModelTest {

  static final ModernBertConfig SMALL = ModernBertConfig.builder().vocabSize(64).hiddenSize(32).numAttentionHeads(2)
      .intermediateSize(48).numHiddenLayers(4).localAttention(16).padTokenId(3).build();

  @Test
  void initialisesAsTheRecipe() {
    ModernBertConfig config = ModernBertConfig.preset(ModernBertConfig.Preset.TINY).vocabSize(1000).padTokenId(3)
        .build();
    try (NDManager manager = NDManager.newBaseManager()) {
      ModernBertForMaskedLM model = new ModernBertForMaskedLM(config);
      model.initialize(manager, 7L);
      Map<String, Parameter> p = model.namedParameters();
      assertThat(p.size(), equalTo(2 + 4 * 6 - 1 + 1 + 2 + 1)); // layer 0 has no attn_norm
      double sigma = 0.02;
      double outSigma = sigma / Math.sqrt(2 * 4);
      // trunc_normal(0, σ, ±2σ) has standard deviation 0.8796σ
      assertStats(p.get("model.layers.1.attn.Wqkv.weight").getArray().toFloatArray(), sigma);
      assertStats(p.get("model.embeddings.tok_embeddings.weight").getArray().toFloatArray(), sigma);
      assertStats(p.get("model.layers.2.attn.Wo.weight").getArray().toFloatArray(), outSigma);
      assertStats(p.get("model.layers.3.mlp.Wo.weight").getArray().toFloatArray(), outSigma);
      assertThat(p.get("model.final_norm.weight").getArray().sum().getFloat(), equalTo(256f));
      assertThat(p.get("decoder.bias").getArray().abs().sum().getFloat(), equalTo(0f));
      // the same seed gives the same weights
      ModernBertForMaskedLM again = new ModernBertForMaskedLM(config);
      again.initialize(manager, 7L);
      assertArrayEquals(p.get("model.layers.1.mlp.Wi.weight").getArray().toFloatArray(),
          again.namedParameters().get("model.layers.1.mlp.Wi.weight").getArray().toFloatArray());
      assertThat(config.parameterCount(), equalTo(model.getParameters().values().stream()
          .mapToLong(x -> x.getArray().size()).sum()));
    }
  }

  static void assertStats(float[] values, double sigma) {
    double sum = 0;
    double squares = 0;
    double max = 0;
    for (float v : values) {
      sum += v;
      squares += v * v;
      max = Math.max(max, Math.abs(v));
    }
    double mean = sum / values.length;
    double std = Math.sqrt(squares / values.length - mean * mean);
    assertThat(std, closeTo(0.8796 * sigma, 0.02 * sigma));
    assertThat(max, lessThanOrEqualTo(2 * sigma + 1e-9));
    assertThat(max, closeTo(2 * sigma, 0.05 * sigma));
  }

  @Test
  void chunkedGlobalAttentionEqualsOneChunk() {
    long[][] rows = randomRows(2, 200, 11);
    int[][] docs = {{70, 90, 40}, {150}};
    float[] whole;
    float[] chunked;
    try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
      ModernBertForMaskedLM model = new ModernBertForMaskedLM(SMALL);
      model.initialize(manager, 1L);
      ParameterStore ps = new ParameterStore(manager, false);
      EncoderInput input = EncoderInput.ofDocuments(rows, docs, SMALL.padTokenId());
      whole = model.logits(ps, input, manager).toFloatArray();
      // 2 rows x 2 heads x 200 keys x 4 bytes = 3200 bytes per query: 10 KB rounds down to one 8-query block
      System.setProperty(EagerAttention.CHUNK_BYTES_PROPERTY, "10000");
      try {
        chunked = model.logits(ps, input, manager).toFloatArray();
      } finally {
        System.clearProperty(EagerAttention.CHUNK_BYTES_PROPERTY);
      }
    }
    double max = 0;
    for (int i = 0; i < whole.length; i++) {
      max = Math.max(max, Math.abs(whole[i] - chunked[i]));
    }
    assertThat(max, lessThan(1e-5));
  }

  @Test
  void packedDocumentsDoNotSeeEachOther() {
    long[][] rows = randomRows(1, 150, 5);
    long[] first = java.util.Arrays.copyOfRange(rows[0], 0, 60);
    long[] second = java.util.Arrays.copyOfRange(rows[0], 60, 150);
    try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
      ModernBertForMaskedLM model = new ModernBertForMaskedLM(SMALL);
      model.initialize(manager, 2L);
      ParameterStore ps = new ParameterStore(manager, false);
      float[] packed = model.logits(ps, EncoderInput.ofDocuments(rows, new int[][] {{60, 90}}, 3), manager)
          .toFloatArray();
      float[] alone = model.logits(ps, EncoderInput.ofRows(new long[][] {second}, 3), manager).toFloatArray();
      float[] firstAlone = model.logits(ps, EncoderInput.ofRows(new long[][] {first}, 3), manager).toFloatArray();
      int v = SMALL.vocabSize();
      for (int i = 0; i < alone.length; i++) {
        assertThat(Math.abs(packed[60 * v + i] - alone[i]), lessThan(1e-4f));
      }
      for (int i = 0; i < firstAlone.length; i++) {
        assertThat(Math.abs(packed[i] - firstAlone[i]), lessThan(1e-4f));
      }
    }
  }

  @Test
  void sparseLossIsTheCrossEntropyOfTheDenseLogits() {
    long[][] rows = randomRows(2, 70, 3);
    long[] labels = new long[2 * 70];
    java.util.Arrays.fill(labels, ModernBertForMaskedLM.IGNORE_INDEX);
    labels[5] = 17;
    labels[69] = 40;
    labels[70 + 33] = 9;
    try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
      ModernBertForMaskedLM model = new ModernBertForMaskedLM(SMALL);
      model.initialize(manager, 3L);
      ParameterStore ps = new ParameterStore(manager, false);
      EncoderInput input = EncoderInput.ofRows(rows, 3);
      MlmOutput out = model.forward(ps, input, labels, manager, false);
      float[] logits = model.logits(ps, input, manager).toFloatArray();
      double expected = 0;
      int[] positions = {5, 69, 103};
      for (int position : positions) {
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < 64; t++) {
          max = Math.max(max, logits[position * 64 + t]);
        }
        double sum = 0;
        for (int t = 0; t < 64; t++) {
          sum += Math.exp(logits[position * 64 + t] - max);
        }
        expected += max + Math.log(sum) - logits[position * 64 + (int) labels[position]];
      }
      assertThat(out.count(), equalTo(3));
      assertThat((double) out.meanLoss().getFloat(), closeTo(expected / 3, 1e-5));
    }
  }

  @Test
  void badInputsAreNamed() {
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> EncoderInput.ofDocuments(new long[][] {{1, 2, 3}}, new int[][] {{2, 2}}, 0));
    assertThat(e.getMessage(), containsString("row 0: doc_lengths [2, 2] do not fit its 3 tokens"));
    try (NDManager manager = NDManager.newBaseManager()) {
      ModernBertForMaskedLM model = new ModernBertForMaskedLM(SMALL);
      model.initialize(manager, 3L);
      ParameterStore ps = new ParameterStore(manager, false);
      EncoderInput input = EncoderInput.ofRows(new long[][] {{1, 5, 2}}, 3);
      e = assertThrows(IllegalArgumentException.class,
          () -> model.forward(ps, input, new long[] {-100, 64, -100}, manager, true));
      assertThat(e.getMessage(), containsString("label 64 at row 0, token 1 is outside the vocabulary (64)"));
      e = assertThrows(IllegalArgumentException.class,
          () -> model.forward(ps, input, new long[] {-100, -100, -100}, manager, true));
      assertThat(e.getMessage(), containsString("no labelled positions"));
    }
  }

  static long[][] randomRows(int count, int length, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[][] rows = new long[count][length];
    for (long[] row : rows) {
      for (int i = 0; i < length; i++) {
        row[i] = 5 + random.nextInt(59);
      }
    }
    return rows;
  }
}
