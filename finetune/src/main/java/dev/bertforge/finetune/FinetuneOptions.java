package dev.bertforge.finetune;

import dev.bertforge.options.InputFormat;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * {@code ./bertforge finetune}: the labelled data (read as the data commands read documents, with a label field
 * and an optional second text), the starting model, the recipe and where results go.
 */
public interface FinetuneOptions extends PipelineOptions {

  @Description("The starting model: a checkpoint folder, a stage folder (its latest checkpoint), or a Hugging Face "
      + "ModernBERT directory (an export of ours, or any directory AutoModelForMaskedLM loads).")
  @Validation.Required
  String getModel();

  void setModel(String value);

  @Description("Training data: a path, a directory (ending in /) or a glob, JSONL or Parquet, on any Beam filesystem.")
  @Validation.Required
  String getTrain();

  void setTrain(String value);

  @Description("Validation data (same forms). Without it, --validationFraction of the training data is held out.")
  String getValidation();

  void setValidation(String value);

  @Description("Without --validation: the share of training records held out for validation, chosen by a hash of "
      + "the record's id (the same records whatever the seed or the order of the files).")
  @Default.Double(0.1)
  double getValidationFraction();

  void setValidationFraction(double value);

  @Description("Test data (same forms), evaluated once with the final model of each seed.")
  String getTest();

  void setTest(String value);

  @Description("Output folder: results.json, metrics.jsonl, the exported model(s), the data as read and rejects.")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Write into --output even if it already holds results.")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);

  @Description("Input format: auto (from each file's extension), jsonl or parquet.")
  @Default.Enum("AUTO")
  InputFormat getFormat();

  void setFormat(InputFormat value);

  @Description("The JSON field or Parquet column that holds the text (a string).")
  @Default.String("text")
  String getTextField();

  void setTextField(String value);

  @Description("The field of the second text of a pair task (encoded as [CLS] text [SEP] pair [SEP]).")
  String getTextPairField();

  void setTextPairField(String value);

  @Description("The field of a unique record id (string or integer); without it ids are 'path:line' or 'path:row'.")
  String getIdField();

  void setIdField(String value);

  @Description("The field of the label: a string or integer class, or a number for a regression.")
  @Default.String("label")
  String getLabelField();

  void setLabelField(String value);

  @Description("auto (regression when the training labels are numbers that are not all integers, else "
      + "classification), classification or regression.")
  @Default.String("auto")
  String getTask();

  void setTask(String value);

  @Description("How a row becomes one vector: cls (the [CLS] token) or mean (over real tokens), transformers' "
      + "classifier_pooling.")
  @Default.String("cls")
  String getPooling();

  void setPooling(String value);

  @Description("Peak learning rate.")
  @Default.Double(5e-5)
  double getLr();

  void setLr(double value);

  @Description("Examples per optimizer step.")
  @Default.Integer(32)
  int getBatchSize();

  void setBatchSize(int value);

  @Description("Passes over the training data.")
  @Default.Integer(3)
  int getEpochs();

  void setEpochs(int value);

  @Description("Longest input in tokens; longer texts (pairs: the longer text first) are truncated.")
  @Default.Integer(512)
  int getMaxSeqLen();

  void setMaxSeqLen(int value);

  @Description("Share of the optimizer steps spent in linear warmup; the rest decays linearly to 0.")
  @Default.Double(0.1)
  double getWarmupRatio();

  void setWarmupRatio(double value);

  @Description("AdamW's decoupled weight decay (none on LayerNorm weights and biases).")
  @Default.Double(1e-5)
  double getWeightDecay();

  void setWeightDecay(double value);

  @Description("Dropout after the pooled head (transformers' classifier_dropout).")
  @Default.Double(0.0)
  double getClassifierDropout();

  void setClassifierDropout(double value);

  @Description("Dropout after each attention output projection while fine-tuning (transformers' "
      + "attention_dropout, 0 in the exported config).")
  @Default.Double(0.0)
  double getAttentionDropout();

  void setAttentionDropout(double value);

  @Description("Seeds, comma-separated: one run each; results.json gives each seed and the mean ± std.")
  @Default.String("1618")
  String getSeeds();

  void setSeeds(String value);

  @Description("Export the epoch with the best validation metric instead of the last epoch's model.")
  @Default.Boolean(false)
  boolean getKeepBest();

  void setKeepBest(boolean value);

  @Description("Stop at the first bad record (missing or blank label, unseen label, wrong types) with an error "
      + "naming the file and record; false: reject it, count it and write it to OUT/data/SPLIT/rejected/ (or, for "
      + "the checks across splits, to OUT/data/label-rejects.jsonl).")
  @Default.Boolean(true)
  boolean getFailOnBadRecords();

  void setFailOnBadRecords(boolean value);

  @Description("PyTorch intra-op threads; 0 = one per core.")
  @Default.Integer(0)
  int getThreads();

  void setThreads(int value);
}
