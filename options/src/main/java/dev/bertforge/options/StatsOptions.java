package dev.bertforge.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@code ./bertforge stats}. */
public interface StatsOptions extends DocumentInputOptions {

  @Description("Also list documents, rejected and blank records and text bytes for every input file.")
  @Default.Boolean(false)
  boolean getPerFile();

  void setPerFile(boolean value);

  @Description(
      "Optional output directory: writes OUT/stats.json and the rejected records to OUT/rejected/*.jsonl. "
          + "Without it, stats only prints (rejected records are counted, not kept).")
  String getOutput();

  void setOutput(String value);
}
