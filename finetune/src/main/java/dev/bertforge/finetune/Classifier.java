package dev.bertforge.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.bertforge.trainer.export.HfModel;
import dev.bertforge.trainer.export.TokenizerFiles;
import dev.bertforge.trainer.model.ClassifierConfig;
import dev.bertforge.trainer.model.EncoderInput;
import dev.bertforge.trainer.model.ModernBertForSequenceClassification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An exported classifier with its tokenizer, predicting batches of texts (inference, no gradients). */
final class Classifier implements AutoCloseable {

  /** One text's prediction: the label's id and probability, every label's probability, or a regression's value. */
  record Prediction(int labelId, float score, float[] scores, float value) {}

  private final NDManager manager;
  private final ModernBertForSequenceClassification model;
  private final ExampleEncoder encoder;
  private final ParameterStore ps;

  private Classifier(NDManager manager, ModernBertForSequenceClassification model, ExampleEncoder encoder) {
    this.manager = manager;
    this.model = model;
    this.encoder = encoder;
    this.ps = new ParameterStore(manager, false);
  }

  /** The classifier in {@code dir}: an export, or a finetune output with one seed ({@code dir/model}). */
  static Classifier open(Path dir, int maxSeqLen) throws IOException {
    Path export = Files.isRegularFile(dir.resolve("model/config.json")) ? dir.resolve("model") : dir;
    NDManager manager = NDManager.newBaseManager();
    try {
      ModernBertForSequenceClassification model = HfModel.loadClassifier(export, manager);
      return new Classifier(manager, model, new ExampleEncoder(TokenizerFiles.ofModel(export), maxSeqLen));
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  ClassifierConfig config() {
    return model.classifier();
  }

  long[] encode(String text, String textPair) {
    return encoder.encode(text, textPair);
  }

  /** Predictions for encoded texts, in order. */
  List<Prediction> predict(List<long[]> encoded) {
    long[][] rows = encoded.toArray(new long[0][]);
    int[][] mask = new int[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      mask[r] = new int[rows[r].length];
      Arrays.fill(mask[r], 1);
    }
    int k = model.classifier().numLabels();
    boolean regression = model.classifier().task() == ClassifierConfig.Task.REGRESSION;
    List<Prediction> out = new ArrayList<>();
    // PyTorch's grad mode is per thread and on in a new one (a Beam worker's); DJL turned it off only in the
    // thread that started the engine. Inference records no graph.
    JniUtils.setGradMode(false);
    try (NDScope scope = new NDScope()) {
      NDArray logits = model.logits(ps, EncoderInput.ofAttentionMask(rows, mask, model.config().padTokenId()),
          manager);
      float[] values = regression ? logits.toFloatArray() : logits.softmax(-1).toFloatArray();
      for (int r = 0; r < rows.length; r++) {
        if (regression) {
          out.add(new Prediction(-1, Float.NaN, null, values[r]));
        } else {
          float[] p = Arrays.copyOfRange(values, r * k, (r + 1) * k);
          int best = FineTuneRun.argMax(p);
          out.add(new Prediction(best, p[best], p, Float.NaN));
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    encoder.close();
    manager.close();
  }
}
