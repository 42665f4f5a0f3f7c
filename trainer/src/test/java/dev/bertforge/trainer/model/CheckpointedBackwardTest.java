package dev.bertforge.trainer.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Activation-checkpointed forward/backward gives the gradients of the plain one. */
class CheckpointedBackwardTest {

  @ParameterizedTest
  @CsvSource({"EAGER, 0", "FUSED, 0", "EAGER, 0.1", "FUSED, 0.1"})
  void sameGradientsAsPlainBackward(AttentionImplementation attention, float dropout) {
    // with dropout on, the plain pass seeded as the checkpointed one draws the same masks
    ModernBertConfig config = ModelTest.SMALL.toBuilder().attentionOutputDropout(dropout).attention(attention).build();
    long[][] rows = ModelTest.randomRows(2, 100, 9);
    rows[0][10] = config.padTokenId(); // a pad id inside a document
    int[][] docs = {{40, 50}, {90}};
    long[] labels = new long[200];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 3 == 0 ? 5 + i % 50 : ModernBertForMaskedLM.IGNORE_INDEX;
    }
    try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
      ModernBertForMaskedLM model = new ModernBertForMaskedLM(config);
      model.initialize(manager, 4L);
      ParameterStore ps = new ParameterStore(manager, false);
      EncoderInput input = EncoderInput.ofDocuments(rows, docs, config.padTokenId());
      float plainLoss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        MlmOutput out = model.forward(ps, input, labels, manager, true, 123L);
        plainLoss = out.meanLoss().getFloat();
        out.backward(collector, 1f / out.count());
      }
      Map<String, float[]> plain = takeGradients(model);
      MlmOutput out = model.forwardBackwardCheckpointed(ps, input, labels, manager, 1f / 67, 123L);
      assertThat((double) out.meanLoss().getFloat(), closeTo(plainLoss, 1e-6));
      Map<String, float[]> checkpointed = takeGradients(model);
      for (Map.Entry<String, float[]> e : plain.entrySet()) {
        float[] a = e.getValue();
        float[] b = checkpointed.get(e.getKey());
        double max = 0;
        double scale = 1e-12;
        for (int i = 0; i < a.length; i++) {
          max = Math.max(max, Math.abs(a[i] - b[i]));
          scale = Math.max(scale, Math.abs(a[i]));
        }
        assertThat(e.getKey(), max, lessThan(1e-5 * scale));
      }
    }
  }

  @Test
  void dropoutMasksAreReproducible() {
    ModernBertConfig config = ModelTest.SMALL.toBuilder().attentionOutputDropout(0.3f).build();
    long[][] rows = ModelTest.randomRows(1, 40, 2);
    long[] labels = new long[40];
    java.util.Arrays.fill(labels, 7);
    try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
      ModernBertForMaskedLM model = new ModernBertForMaskedLM(config);
      model.initialize(manager, 4L);
      ParameterStore ps = new ParameterStore(manager, false);
      EncoderInput input = EncoderInput.ofRows(rows, config.padTokenId());
      model.forwardBackwardCheckpointed(ps, input, labels, manager, 1f, 77L);
      float[] first = takeGradients(model).get("model.layers.1.attn.Wqkv.weight");
      model.forwardBackwardCheckpointed(ps, input, labels, manager, 1f, 77L);
      assertArrayEquals(first, takeGradients(model).get("model.layers.1.attn.Wqkv.weight"));
    }
  }

  /** Every parameter's gradient, then zeroes it. */
  static Map<String, float[]> takeGradients(ModernBertForMaskedLM model) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
      try (NDArray grad = e.getValue().getArray().getGradient()) {
        out.put(e.getKey(), grad.toFloatArray());
        grad.subi(grad);
      }
    }
    return out;
  }
}
