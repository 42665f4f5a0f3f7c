package dev.bertforge.finetune;

import dev.bertforge.options.DocumentInputOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** {@code ./bertforge classify}: the classifier, the documents (the data commands' input options) and the output. */
public interface ClassifyOptions extends DocumentInputOptions {

  @Description("The classifier: an exported ModernBertForSequenceClassification directory (OUT/model of finetune, "
      + "or OUT/seed-N/model), or a finetune output folder with one seed.")
  @Validation.Required
  String getModel();

  void setModel(String value);

  @Description("Output folder: predictions-*.jsonl ({\"id\", \"label\", \"score\"}, or \"value\" for a regression) "
      + "and rejected/.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("The field of the second text of a pair task (encoded as [CLS] text [SEP] pair [SEP]).")
  String getTextPairField();

  void setTextPairField(String value);

  @Description("Longest input in tokens; longer texts are truncated.")
  @Default.Integer(512)
  int getMaxSeqLen();

  void setMaxSeqLen(int value);

  @Description("Documents per forward pass.")
  @Default.Integer(32)
  int getBatchSize();

  void setBatchSize(int value);

  @Description("Add \"scores\": every label's probability.")
  @Default.Boolean(false)
  boolean getAllScores();

  void setAllScores(boolean value);

  @Description("Instead of classifying the input: time N single-document requests on its first documents and print "
      + "the latency percentiles (p50, p90, p99).")
  @Default.Integer(0)
  int getLatency();

  void setLatency(int value);

  @Description("PyTorch intra-op threads per worker; 0 = one per core.")
  @Default.Integer(0)
  int getThreads();

  void setThreads(int value);
}
