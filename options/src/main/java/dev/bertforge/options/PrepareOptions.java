package dev.bertforge.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * {@code ./bertforge prepare}: dedup, tokenizer and token shards in one pipeline. The dedup, tokenizer-training and
 * shard options are those of {@code dedup}, {@code train-tokenizer} and {@code pretokenize}; {@code --numShards} sizes
 * both the kept documents and the token shards (0: each automatically).
 */
public interface PrepareOptions extends DedupOptions, TrainTokenizerOptions, TokenShardOptions {

  @Description("Replace the token shards already in OUT/shards/ (otherwise the run stops before it starts).")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);
}
