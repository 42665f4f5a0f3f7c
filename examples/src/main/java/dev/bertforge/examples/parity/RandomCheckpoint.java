package dev.bertforge.examples.parity;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import dev.bertforge.trainer.export.Checkpoint;
import dev.bertforge.trainer.export.SafeTensors;
import dev.bertforge.trainer.export.TokenizerFiles;
import dev.bertforge.trainer.model.EncoderInput;
import dev.bertforge.trainer.model.ModernBertConfig;
import dev.bertforge.trainer.model.ModernBertForMaskedLM;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For {@code check-export.sh}: a checkpoint of a model with our own random initialisation, and our logits for
 * some texts, so that Python can load our export in transformers and compare.
 *
 * <p>Arguments: TOKENIZER_DIR CHECKPOINT_DIR TEXTS_FILE LOGITS_FILE LAYERS HIDDEN HEADS INTERMEDIATE GLOBAL_THETA
 * SEED. The vocabulary is the tokenizer's rounded up to a multiple of 64, as ModernBERT pads it. LOGITS_FILE
 * (safetensors) gets {@code input_ids}, {@code attention_mask} and {@code logits} [texts, longest, vocab].
 */
public final class RandomCheckpoint {

  private RandomCheckpoint() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 10) {
      System.err.println("usage: RandomCheckpoint TOKENIZER_DIR CHECKPOINT_DIR TEXTS_FILE LOGITS_FILE LAYERS HIDDEN"
          + " HEADS INTERMEDIATE GLOBAL_THETA SEED");
      System.exit(2);
    }
    TokenizerFiles tokenizer = TokenizerFiles.in(Path.of(args[0]));
    ModernBertConfig config = ModernBertConfig.builder()
        .vocabSize((tokenizer.vocabularySize() + 63) / 64 * 64)
        .numHiddenLayers(Integer.parseInt(args[4])).hiddenSize(Integer.parseInt(args[5]))
        .numAttentionHeads(Integer.parseInt(args[6])).intermediateSize(Integer.parseInt(args[7]))
        .globalRopeTheta(Double.parseDouble(args[8])).localRopeTheta(10000)
        .padTokenId(tokenizer.requireId("pad_token")).clsTokenId(tokenizer.requireId("cls_token"))
        .bosTokenId(tokenizer.requireId("cls_token")).sepTokenId(tokenizer.requireId("sep_token"))
        .eosTokenId(tokenizer.requireId("sep_token"))
        .build();
    List<String> texts = Files.readAllLines(Path.of(args[2]));
    try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope();
        HuggingFaceTokenizer encoder = HuggingFaceTokenizer.newInstance(tokenizer.tokenizerJson(),
            Map.of("truncation", "false", "padding", "false"))) {
      ModernBertForMaskedLM model = new ModernBertForMaskedLM(config);
      model.initialize(manager, Long.parseLong(args[9]));
      Checkpoint.save(Path.of(args[1]), model, tokenizer, Checkpoint.State.NONE);

      long[][] rows = new long[texts.size()][];
      int[][] mask = new int[texts.size()][];
      int longest = 0;
      for (int i = 0; i < rows.length; i++) {
        longest = Math.max(longest, encoder.encode(texts.get(i)).getIds().length);
      }
      for (int i = 0; i < rows.length; i++) {
        long[] ids = encoder.encode(texts.get(i)).getIds();
        rows[i] = new long[longest];
        mask[i] = new int[longest];
        java.util.Arrays.fill(rows[i], config.padTokenId());
        System.arraycopy(ids, 0, rows[i], 0, ids.length);
        java.util.Arrays.fill(mask[i], 0, ids.length, 1);
      }
      EncoderInput input = EncoderInput.ofAttentionMask(rows, mask, config.padTokenId());
      NDArray logits = model.logits(new ParameterStore(manager, false), input, manager);
      Map<String, SafeTensors.F32> out = new LinkedHashMap<>();
      out.put("input_ids", floats(manager.create(flatten(rows)).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
          .reshape(rows.length, longest)));
      out.put("attention_mask", floats(manager.create(flatten(mask)).toType(ai.djl.ndarray.types.DataType.FLOAT32,
          false).reshape(rows.length, longest)));
      out.put("logits", floats(logits));
      SafeTensors.write(Path.of(args[3]), out);
      System.out.println(config);
    }
  }

  private static SafeTensors.F32 floats(NDArray array) {
    return new SafeTensors.F32(array.getShape().getShape(), array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
  }

  private static long[] flatten(long[][] rows) {
    return java.util.Arrays.stream(rows).flatMapToLong(java.util.Arrays::stream).toArray();
  }

  private static int[] flatten(int[][] rows) {
    return java.util.Arrays.stream(rows).flatMapToInt(java.util.Arrays::stream).toArray();
  }

}
