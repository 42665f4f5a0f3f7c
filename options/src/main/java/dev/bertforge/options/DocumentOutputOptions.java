package dev.bertforge.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Where a pipeline writes. Every data pipeline that writes files extends this. */
public interface DocumentOutputOptions extends PipelineOptions {

  @Description("Output directory, on any Beam filesystem (local, gs://, s3://).")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Number of output files per output; 0 picks about one file per 256 MB of input.")
  @Default.Integer(0)
  int getNumShards();

  void setNumShards(int value);
}
