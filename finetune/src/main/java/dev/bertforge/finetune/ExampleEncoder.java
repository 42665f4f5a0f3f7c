package dev.bertforge.finetune;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.bertforge.trainer.export.TokenizerFiles;
import java.io.IOException;
import java.util.Map;

/**
 * Token ids of a text or a text pair as transformers' tokenizer makes them for a classifier:
 * {@code [CLS] a [SEP]} or {@code [CLS] a [SEP] b [SEP]} (the tokenizer's own template), truncated to
 * {@code maxSeqLen} tokens longest-text-first ({@code truncation=True}).
 */
final class ExampleEncoder implements AutoCloseable {

  private final HuggingFaceTokenizer tokenizer;

  ExampleEncoder(TokenizerFiles files, int maxSeqLen) throws IOException {
    this.tokenizer = HuggingFaceTokenizer.newInstance(files.tokenizerJson(), Map.of("addSpecialTokens", "true",
        "truncation", "longest_first", "maxLength", Integer.toString(maxSeqLen), "padding", "false"));
  }

  long[] encode(String text, String textPair) {
    return textPair == null ? tokenizer.encode(text).getIds() : tokenizer.encode(text, textPair).getIds();
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
