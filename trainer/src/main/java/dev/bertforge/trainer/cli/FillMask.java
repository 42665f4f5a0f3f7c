package dev.bertforge.trainer.cli;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import dev.bertforge.trainer.export.HfModel;
import dev.bertforge.trainer.export.TokenizerFiles;
import dev.bertforge.trainer.model.EncoderInput;
import dev.bertforge.trainer.model.ModernBertForMaskedLM;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Top-k predictions for each {@code [MASK]} of a text, as transformers' fill-mask pipeline computes them: the
 * tokenizer's template ({@code [CLS] … [SEP]}), no truncation, softmax over the vocabulary at each mask position.
 */
public final class FillMask implements AutoCloseable {

  /** One candidate token for a mask. */
  public record Candidate(String token, long id, double score) {}

  /** The candidates for the mask at {@code position} (its index in the encoded ids, [CLS] being 0). */
  public record MaskPredictions(int position, List<Candidate> predictions) {}

  private final ModernBertForMaskedLM model;
  private final HuggingFaceTokenizer tokenizer;
  private final int maskId;
  private final NDManager manager;

  private FillMask(ModernBertForMaskedLM model, HuggingFaceTokenizer tokenizer, int maskId, NDManager manager) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.maskId = maskId;
    this.manager = manager;
  }

  /** The model and tokenizer of an export ({@code DIR/tokenizer.json}) or a checkpoint ({@code DIR/tokenizer/}). */
  public static FillMask open(Path modelDir) throws IOException {
    TokenizerFiles files = TokenizerFiles.ofModel(modelDir);
    NDManager manager = NDManager.newBaseManager();
    try {
      ModernBertForMaskedLM model = HfModel.load(modelDir, manager);
      HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(files.tokenizerJson(),
          Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
      return new FillMask(model, tokenizer, files.requireId("mask_token"), manager);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public List<MaskPredictions> predict(String text, int topK) {
    Encoding encoding = tokenizer.encode(text);
    long[] ids = encoding.getIds();
    int[] positions = IntStream.range(0, ids.length).filter(i -> ids[i] == maskId).toArray();
    if (positions.length == 0) {
      throw new IllegalArgumentException("the text has no " + tokenizer.decode(new long[] {maskId}, false)
          + " token");
    }
    if (ids.length > model.config().maxPositionEmbeddings()) {
      throw new IllegalArgumentException("the text is " + ids.length + " tokens; the model takes at most "
          + model.config().maxPositionEmbeddings());
    }
    int k = Math.min(topK, model.config().vocabSize());
    List<MaskPredictions> out = new ArrayList<>();
    try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
      ParameterStore ps = new ParameterStore(step, false);
      EncoderInput input = EncoderInput.ofRows(new long[][] {ids}, model.config().padTokenId());
      NDArray hidden = model.hiddenStates(ps, input, step, false).get(0);
      NDArray atMasks = hidden.get(new NDIndex("{}", step.create(IntStream.of(positions).asLongStream().toArray())));
      float[] probabilities = model.logits(ps, atMasks, false).softmax(-1).toFloatArray();
      int vocab = model.config().vocabSize();
      for (int m = 0; m < positions.length; m++) {
        int base = m * vocab;
        List<Candidate> candidates = IntStream.range(0, vocab).boxed()
            .sorted(Comparator.comparingDouble((Integer id) -> -probabilities[base + id]).thenComparing(id -> id))
            .limit(k)
            .map(id -> new Candidate(tokenizer.decode(new long[] {id}, false), id, probabilities[base + id]))
            .collect(java.util.stream.Collectors.toList());
        out.add(new MaskPredictions(positions[m], candidates));
      }
    }
    return out;
  }

  @Override
  public void close() {
    tokenizer.close();
    manager.close();
  }
}
