package dev.bertforge.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * {@code train-tokenizer}: where the corpus comes from, where the tokenizer goes, and the knobs of byte-level BPE
 * training (also the tokenizer step of {@code prepare}). The defaults give exactly the tokenizer Hugging Face's
 * {@code BpeTrainer} trains on the same documents.
 */
public interface TrainTokenizerOptions extends DocumentInputOptions, DocumentOutputOptions {
  @Description("Vocabulary size, counting the 5 special tokens and the 256 byte characters; keep it a multiple of 64 "
      + "(the embedding matrix). Training stops earlier if no pair occurs --minFrequency times any more.")
  @Default.Integer(50368)
  int getVocabSize();

  void setVocabSize(int value);

  @Description("A pair of tokens is merged only if it occurs at least this often (HF's min_frequency).")
  @Default.Long(2)
  long getMinFrequency();

  void setMinFrequency(long value);

  @Description("Prune words (pre-tokens) seen fewer times than this before the merge step; 1 keeps all (exact HF "
      + "result). For corpora whose word table does not fit one machine.")
  @Default.Long(1)
  long getMinWordCount();

  void setMinWordCount(long value);

  @Description("Keep at most this many distinct words, the most frequent (whole groups of equal count, so the result "
      + "does not depend on order); 0 = no limit (exact HF result).")
  @Default.Long(0)
  long getMaxWords();

  void setMaxWords(long value);

  @Description("Where [UNK] [CLS] [SEP] [PAD] [MASK] go: FIRST (ids 0-4, BERT and HF's trainer) or LAST (the last five "
      + "ids, ModernBERT's layout). The merges are the same either way.")
  @Default.Enum("FIRST")
  SpecialTokenPosition getSpecialTokenPosition();

  void setSpecialTokenPosition(SpecialTokenPosition value);

  @Description("Fraction of documents (chosen by a hash of their id) kept out of training to measure bytes per "
      + "token in report.json; 0 trains on every document.")
  @Default.Double(0.01)
  double getHeldOutFraction();

  void setHeldOutFraction(double value);

  @Description("The word table is counted and summed in this many shards (by word hash); raise it when the corpus has "
      + "tens of millions of distinct words, so that each shard stays a moderate Beam element.")
  @Default.Integer(16)
  int getWordTableShards();

  void setWordTableShards(int value);

  @Description("Instead of training, adopt this existing tokenizer.json (e.g. a modern LLM's): the BERT special "
      + "tokens, the [CLS] $A [SEP] template and padding are added where missing.")
  String getBaseTokenizer();

  void setBaseTokenizer(String value);

  /** Placement of the special tokens in the vocabulary. */
  enum SpecialTokenPosition {
    FIRST,
    LAST
  }
}
