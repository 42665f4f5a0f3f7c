package dev.bertforge.runners.dataflow;

import dev.bertforge.options.DedupOptions;
import dev.bertforge.options.PrepareOptions;
import dev.bertforge.options.PretokenizeOptions;
import dev.bertforge.options.StatsOptions;
import dev.bertforge.options.TrainTokenizerOptions;
import dev.bertforge.pipelines.DedupPipeline;
import dev.bertforge.pipelines.PreparePipeline;
import dev.bertforge.pipelines.PretokenizePipeline;
import dev.bertforge.pipelines.StatsPipeline;
import dev.bertforge.pipelines.TrainTokenizerPipeline;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;

/** The pipeline commands published as Flex Templates: one launcher image and one metadata file each. */
public final class DataflowTemplates {

  /** One template: the command's name, its main class and its options interface. */
  public record Template(
      String command, Class<?> mainClass, Class<? extends PipelineOptions> options, String description) {

    /** The file name of its metadata under runners/dataflow/templates/. */
    public String metadataFile() {
      return command + "-metadata.json";
    }

    public String metadata() {
      return FlexTemplateMetadata.of("bertforge " + command, description, options);
    }
  }

  public static final List<Template> ALL =
      List.of(
          new Template(
              "stats",
              StatsPipeline.class,
              StatsOptions.class,
              "Corpus statistics: documents, bytes, length percentiles, rejected records by reason."),
          new Template(
              "train-tokenizer",
              TrainTokenizerPipeline.class,
              TrainTokenizerOptions.class,
              "Byte-level BPE tokenizer training: tokenizer.json, tokenizer_config.json, special_tokens_map.json,"
                  + " report.json."),
          new Template(
              "dedup",
              DedupPipeline.class,
              DedupOptions.class,
              "Exact and MinHash LSH near-duplicate removal: OUTPUT/kept/ in the input's format, clusters/,"
                  + " rejected/."),
          new Template(
              "pretokenize",
              PretokenizePipeline.class,
              PretokenizeOptions.class,
              "Tokenize a corpus with a tokenizer.json and write packed TFRecord token shards with a manifest."),
          new Template(
              "prepare",
              PreparePipeline.class,
              PrepareOptions.class,
              "dedup, train-tokenizer (or adopt --baseTokenizer) and pretokenize in one job: OUTPUT/dedup/,"
                  + " OUTPUT/tokenizer/, OUTPUT/shards/."));

  private DataflowTemplates() {}
}
