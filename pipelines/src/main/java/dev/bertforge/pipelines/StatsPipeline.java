package dev.bertforge.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.options.OptionChecks;
import dev.bertforge.options.StatsOptions;
import dev.bertforge.transforms.io.FileSummary;
import dev.bertforge.transforms.io.ReadDocuments;
import dev.bertforge.transforms.io.RejectedRecord;
import dev.bertforge.transforms.io.WriteRejected;
import dev.bertforge.transforms.stats.CorpusStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code ./bertforge stats --input=GLOB}: documents, text bytes, document-length percentiles, blank and rejected
 * records by reason, optionally per file. A Beam pipeline (bounded memory on any corpus size: the lengths go into a
 * fixed-size histogram); progress is logged while it runs.
 */
public final class StatsPipeline {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatsPipeline() {}

  public static void main(String[] args) {
    StatsOptions options = PipelineCommand.parse("stats", args, StatsOptions.class);
    PipelineCommand.exitOnFailure("stats", () -> {
      OptionChecks.check(options);
      StatsReport report = run(options);
      if (report != null) {
        report.print(System.out, options.getPerFile());
      }
    });
  }

  /**
   * Builds and runs the pipeline and returns what it found; with {@code --output}, also writes stats.json. Returns
   * null when the job did not finish here (only a template was written, or the runner handed it over).
   */
  public static StatsReport run(StatsOptions options) throws IOException {
    FileSystems.setDefaultPipelineOptions(options);
    ResourceId results = resultsDirectory(options);
    ResourceId summaryFile = results.resolve("stats-summary.jsonl", StandardResolveOptions.RESOLVE_FILE);

    Pipeline pipeline = Pipeline.create(options);
    ReadDocuments.Result read = pipeline.apply("ReadDocuments", ReadDocuments.from(options).withoutRecords());
    summaryLines(read)
        .apply("WriteSummary", TextIO.write().to(summaryFile.toString().replaceFirst("\\.jsonl$", ""))
            .withSuffix(".jsonl").withoutSharding());
    if (options.getOutput() != null) {
      read.rejected().apply("WriteRejected", WriteRejected.to(options.getOutput()));
    }

    long start = System.nanoTime();
    PipelineResult result = PipelineCommand.run(pipeline, ProgressReporter.of("stats"));
    if (!PipelineCommand.finishedHere(result, "stats",
        "the report and stats.json (the job writes its figures to " + summaryFile + ")")) {
      return null;
    }
    StatsReport report = readSummary(summaryFile);
    report.seconds = (System.nanoTime() - start) / 1e9;
    report.input = options.getInput();
    report.format = read.format().format().toString();
    report.inputFiles = read.format().inputFiles();
    report.inputBytes = read.format().inputBytes();

    FileSystems.delete(List.of(summaryFile), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    if (options.getOutput() != null) {
      ResourceId json = results.resolve("stats.json", StandardResolveOptions.RESOLVE_FILE);
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(json, "application/json"))) {
        out.write(report.toJson().getBytes(StandardCharsets.UTF_8));
      }
    } else {
      FileSystems.delete(List.of(results), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
    return report;
  }

  /** JSON lines: one for the documents, one per reject reason, one per file. */
  static PCollection<String> summaryLines(ReadDocuments.Result read) {
    PCollection<String> documents =
        read.documents()
            .apply("Stats", Combine.globally(CorpusStats.combineFn()))
            .apply("StatsLine", MapElements.into(TypeDescriptors.strings()).via(StatsPipeline::documentsLine));
    PCollection<String> rejected =
        read.rejected()
            .apply("Reasons", MapElements.into(TypeDescriptors.strings()).via((RejectedRecord r) -> r.reason().label()))
            .apply("CountReasons", Count.perElement())
            .apply("ReasonLines", MapElements.into(TypeDescriptors.strings())
                .via(kv -> json(JSON.createObjectNode().put("kind", "rejected").put("reason", kv.getKey())
                    .put("count", kv.getValue()))));
    PCollection<String> files =
        read.files().apply("FileLines", MapElements.into(TypeDescriptors.strings()).via(StatsPipeline::fileLine));
    return PCollectionList.of(documents).and(rejected).and(files).apply("AllLines", Flatten.pCollections());
  }

  private static String documentsLine(CorpusStats stats) {
    return json(JSON.createObjectNode().put("kind", "documents")
        .put("documents", stats.documents()).put("text_bytes", stats.textBytes()).put("characters", stats.characters())
        .put("p50", stats.lengths().percentile(50)).put("p90", stats.lengths().percentile(90))
        .put("p99", stats.lengths().percentile(99)).put("max", stats.lengths().max()));
  }

  private static String fileLine(FileSummary file) {
    return json(JSON.createObjectNode().put("kind", "file").put("file", file.file())
        .put("documents", file.documents()).put("rejected", file.rejected()).put("blank", file.blank())
        .put("text_bytes", file.textBytes()));
  }

  private static String json(ObjectNode node) {
    return node.toString();
  }

  /** {@code --output}, else a fresh directory under {@code --tempLocation} or the local temp directory. */
  private static ResourceId resultsDirectory(StatsOptions options) throws IOException {
    if (options.getOutput() != null) {
      return FileSystems.matchNewResource(options.getOutput(), true);
    }
    String name = "bertforge-stats-" + Long.toHexString(System.nanoTime());
    if (options.getTempLocation() != null) {
      return FileSystems.matchNewResource(options.getTempLocation(), true)
          .resolve(name, StandardResolveOptions.RESOLVE_DIRECTORY);
    }
    return FileSystems.matchNewResource(Files.createTempDirectory(name).toString(), true);
  }

  private static StatsReport readSummary(ResourceId summaryFile) throws IOException {
    StatsReport report = new StatsReport();
    MatchResult.Metadata file = FileSystems.matchSingleFileSpec(summaryFile.toString());
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        Channels.newInputStream(FileSystems.open(file.resourceId())), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        report.add(line);
      }
    }
    return report;
  }
}
