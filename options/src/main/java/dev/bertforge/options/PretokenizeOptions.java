package dev.bertforge.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** {@code ./bertforge pretokenize}: documents in, TFRecord token shards and manifest.json out. */
public interface PretokenizeOptions extends DocumentInputOptions, TokenShardOptions {

  @Description(
      "The tokenizer: a directory holding tokenizer.json (what train-tokenizer writes) or the tokenizer.json file, "
          + "on any Beam filesystem. Its post-processor must put [CLS] … [SEP] around a document.")
  @Validation.Required
  String getTokenizer();

  void setTokenizer(String value);

  @Description(
      "Output directory (any Beam filesystem): tokens-*.tfrecord[.gz] and manifest.json, validation/ and "
          + "rejected/.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Replace the token shards already in --output (otherwise the run stops before it starts).")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);
}
