package dev.bertforge.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.bertforge.trainer.data.SeededRandom;
import dev.bertforge.trainer.data.SpecialTokens;
import dev.bertforge.trainer.data.TokenRow;
import dev.bertforge.trainer.export.Checkpoint;
import dev.bertforge.trainer.model.ModernBertConfig;
import dev.bertforge.trainer.optim.NamedParameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlmModelTest {
  private static final SpecialTokens SPECIALS =
      SpecialTokens.ofTokens(Map.of("[UNK]", 0, "[CLS]", 1, "[SEP]", 2, "[PAD]", 3, "[MASK]", 4));

  @TempDir Path tmp;

  static ModernBertConfig small() {
    return ModernBertConfig.builder().vocabSize(128).hiddenSize(32).numHiddenLayers(2).numAttentionHeads(2)
        .intermediateSize(40).localAttention(8).padTokenId(3).clsTokenId(1).bosTokenId(1).sepTokenId(2)
        .eosTokenId(2).attentionOutputDropout(0f).build();
  }

  @Test
  void accumulatedMicroBatchesGiveTheGradientOfTheWholeBatch() {
    SeededRandom random = new SeededRandom(3);
    List<TokenRow> rows = new ArrayList<>();
    for (int length : new int[] {17, 9, 24, 13}) {
      int[] ids = new int[length];
      for (int i = 0; i < length; i++) {
        ids[i] = 5 + random.nextInt(120);
      }
      rows.add(new TokenRow(ids, length > 12 ? new int[] {5, length - 5} : new int[] {length}));
    }
    MlmMasking masking = new MlmMasking(0.4, SPECIALS, 128, true);
    MicroBatch whole = MicroBatch.of(rows, masking, new SeededRandom(9));
    // the same masks, split in two: rebuild each half from the whole batch's inputs and labels
    MicroBatch first = half(whole, 0, 2);
    MicroBatch second = half(whole, 2, 4);
    assertEquals(whole.labelCount(), first.labelCount() + second.labelCount());

    try (MlmModel a = MlmModel.initialize(small(), 1); MlmModel b = MlmModel.initialize(small(), 1)) {
      double wholeLoss = a.backward(whole, whole.labelCount(), 0L, false);
      double splitLoss = b.backward(first, whole.labelCount(), 0L, false) + b.backward(second, whole.labelCount(), 0L, false);
      assertEquals(wholeLoss, splitLoss, 1e-4 * Math.abs(wholeLoss));
      for (int i = 0; i < a.parameters().size(); i++) {
        NamedParameter pa = a.parameters().get(i);
        NDArray ga = pa.array().getGradient();
        NDArray gb = b.parameters().get(i).array().getGradient();
        double difference = ga.sub(gb).abs().max().getFloat();
        double scale = ga.abs().max().getFloat();
        assertTrue(scale > 0, pa.name() + " got no gradient");
        assertTrue(difference <= 1e-4 * scale, pa.name() + ": " + difference + " of " + scale);
      }
    }
  }

  @Test
  void savedWeightsLoadBackIdentically() throws Exception {
    try (MlmModel model = MlmModel.initialize(small(), 7)) {
      model.save(tmp.resolve("saved"), null, Checkpoint.State.NONE);
      try (MlmModel loaded = MlmModel.load(tmp.resolve("saved"), small())) {
        for (int i = 0; i < model.parameters().size(); i++) {
          NDArray expected = model.parameters().get(i).array();
          NDArray actual = loaded.parameters().get(i).array();
          assertEquals(0f, expected.sub(actual).abs().max().getFloat(), model.parameters().get(i).name());
        }
      }
    }
  }

  private static MicroBatch half(MicroBatch whole, int from, int to) {
    List<long[]> inputs = new ArrayList<>();
    List<int[]> docs = new ArrayList<>();
    int length = 0;
    for (int r = from; r < to; r++) {
      inputs.add(whole.inputs()[r]);
      docs.add(whole.docLengths()[r]);
      length = Math.max(length, whole.inputs()[r].length);
    }
    long[] labels = new long[(to - from) * length];
    int labelled = 0;
    long tokens = 0;
    for (int r = from; r < to; r++) {
      for (int i = 0; i < length; i++) {
        long label = i < whole.inputs()[r].length ? whole.labels()[r * whole.length() + i] : MlmMasking.IGNORE;
        labels[(r - from) * length + i] = label;
        labelled += label == MlmMasking.IGNORE ? 0 : 1;
      }
      tokens += whole.inputs()[r].length;
    }
    return new MicroBatch(inputs.toArray(long[][]::new), docs.toArray(int[][]::new), labels, length, tokens,
        labelled);
  }
}
