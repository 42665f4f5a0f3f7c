package dev.bertforge.trainer.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.lessThan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.bertforge.trainer.export.HfConfig;
import dev.bertforge.trainer.export.HfWeights;
import dev.bertforge.trainer.export.SafeTensors;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our forward pass, loss and gradients, with eager and with fused attention, against transformers'
 * ModernBertForMaskedLM (eager, fp32) on weights that transformers saved: fixtures from
 * {@code src/test/python/make_parity_fixtures.py}.
 */
class HfParityTest {

  static final Path FIXTURES = Path.of("src/test/resources/parity");
  static final double LOGIT_TOLERANCE = 1e-4;

  @ParameterizedTest
  @CsvSource({"l4_h32, EAGER", "l5_h48, EAGER", "l4_h32, FUSED", "l5_h48, FUSED"})
  void logitsLossAndGradientsMatchTransformers(String size, AttentionImplementation attention) throws Exception {
    Path dir = FIXTURES.resolve(size);
    Map<String, SafeTensors.Tensor> inputs = SafeTensors.read(dir.resolve("inputs.safetensors"));
    Map<String, SafeTensors.Tensor> expected = SafeTensors.read(dir.resolve("expected.safetensors"));
    ModernBertConfig config = HfConfig.read(dir.resolve("config.json")).toBuilder().attention(attention).build();
    try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
      ModernBertForMaskedLM model = new ModernBertForMaskedLM(config);
      HfWeights.load(model, dir, manager);
      ParameterStore ps = new ParameterStore(manager, false);

      // a right-padded batch with an attention mask
      long[][] ids = rows(inputs.get("padded_ids"));
      int[][] mask = intRows(inputs.get("padded_attention_mask"));
      EncoderInput padded = EncoderInput.ofAttentionMask(ids, mask, config.padTokenId());
      float[] ours = model.logits(ps, padded, manager).toFloatArray();
      float[] theirs = expected.get("padded_logits").toFloats();
      int vocab = config.vocabSize();
      double paddedDiff = maxDiff(ours, theirs, vocab, flatten(mask));
      System.out.printf("parity %s %s padded batch: max |logit diff| = %.3g%n", size, attention, paddedDiff);
      assertThat(paddedDiff, lessThan(LOGIT_TOLERANCE));

      // one packed row: three documents and padding; transformers ran each document alone
      long[][] packedIds = rows(inputs.get("packed_ids"));
      int[] docLengths = toInts(inputs.get("packed_doc_lengths").toLongs());
      EncoderInput packed = EncoderInput.ofDocuments(packedIds, new int[][] {docLengths}, config.padTokenId());
      float[] oursPacked = model.logits(ps, packed, manager).toFloatArray();
      float[] theirsPacked = expected.get("packed_logits").toFloats();
      int realTokens = theirsPacked.length / vocab;
      int[] real = new int[packedIds[0].length];
      java.util.Arrays.fill(real, 0, realTokens, 1);
      double packedDiff = maxDiff(oursPacked, theirsPacked, vocab, real);
      System.out.printf("parity %s %s packed row: max |logit diff| = %.3g%n", size, attention, packedDiff);
      assertThat(packedDiff, lessThan(LOGIT_TOLERANCE));

      // sparse-prediction loss and its gradients
      long[] labels = inputs.get("padded_labels").toLongs();
      Map<String, Parameter> parameters = model.namedParameters();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        MlmOutput out = model.forward(ps, padded, labels, manager, true);
        NDArray loss = out.meanLoss();
        assertThat((double) loss.getFloat(), closeTo(expected.get("loss").toFloats()[0], 1e-4));
        out.backward(collector, 1f / out.count());
      }
      for (Map.Entry<String, SafeTensors.Tensor> e : expected.entrySet()) {
        if (!e.getKey().startsWith("grad.")) {
          continue;
        }
        String name = e.getKey().substring("grad.".length());
        float[] grad = parameters.get(name).getArray().getGradient().toFloatArray();
        float[] reference = e.getValue().toFloats();
        double diff = maxDiff(grad, reference, 1, null);
        double scale = maxDiff(reference, new float[reference.length], 1, null);
        System.out.printf("parity %s %s gradient %s: max |diff| = %.3g (max |grad| %.3g)%n", size, attention, name, diff,
            scale);
        assertThat(name, diff, lessThan(1e-5 * scale));
      }
    }
  }

  /** Max |a − b| over positions whose mask entry is 1 (all positions when mask is null); width values each. */
  static double maxDiff(float[] a, float[] b, int width, int[] mask) {
    double max = 0;
    int positions = Math.min(a.length, b.length) / width;
    for (int p = 0; p < positions; p++) {
      if (mask != null && mask[p] == 0) {
        continue;
      }
      for (int j = 0; j < width; j++) {
        max = Math.max(max, Math.abs(a[p * width + j] - b[p * width + j]));
      }
    }
    return max;
  }

  static long[][] rows(SafeTensors.Tensor t) {
    long[] flat = t.toLongs();
    int n = (int) t.shape()[0];
    int s = (int) t.shape()[1];
    long[][] out = new long[n][s];
    for (int r = 0; r < n; r++) {
      System.arraycopy(flat, r * s, out[r], 0, s);
    }
    return out;
  }

  static int[][] intRows(SafeTensors.Tensor t) {
    long[][] longs = rows(t);
    int[][] out = new int[longs.length][];
    for (int r = 0; r < longs.length; r++) {
      out[r] = toInts(longs[r]);
    }
    return out;
  }

  static int[] toInts(long[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Math.toIntExact(values[i]);
    }
    return out;
  }

  static int[] flatten(int[][] rows) {
    return java.util.Arrays.stream(rows).flatMapToInt(java.util.Arrays::stream).toArray();
  }
}
