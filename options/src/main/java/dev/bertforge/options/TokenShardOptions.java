package dev.bertforge.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How documents become token shards (encoding, rows, files); shared by {@code pretokenize} and {@code prepare}. */
public interface TokenShardOptions extends PipelineOptions {

  @Description(
      "How documents become rows: pack (long documents split into [CLS] … [SEP] windows, then packed best-fit, "
          + "several documents to a row), split (one window per row, no token lost) or truncate (the first "
          + "maxSeqLen tokens of each document, one per row; the tokens lost are counted).")
  @Default.Enum("PACK")
  ShardMode getMode();

  void setMode(ShardMode value);

  @Description("Maximum tokens per row, [CLS] and [SEP] included.")
  @Default.Integer(1024)
  int getMaxSeqLen();

  void setMaxSeqLen(int value);

  @Description(
      "Number of training shard files; 0 sizes them for about 128 MB each (before compression). "
          + "The validation set is always sized automatically.")
  @Default.Integer(0)
  int getNumShards();

  void setNumShards(int value);

  @Description("Shard file compression: none (.tfrecord) or gzip (.tfrecord.gz); TensorFlow reads both.")
  @Default.Enum("NONE")
  ShardCompression getCompression();

  void setCompression(ShardCompression value);

  @Description(
      "Fraction of documents held out, whole and chosen by a hash of their id, into OUT/validation/ "
          + "(0 writes no validation set).")
  @Default.Double(0.005)
  double getValidationFraction();

  void setValidationFraction(double value);

  @Description(
      "How text becomes token ids: auto (plain Java for a byte-level BPE tokenizer such as train-tokenizer writes: "
          + "the same ids, several times faster; DJL's Rust Hugging Face tokenizers otherwise) or djl (always DJL).")
  @Default.Enum("AUTO")
  TokenEncoder getEncoder();

  void setEncoder(TokenEncoder value);
}
