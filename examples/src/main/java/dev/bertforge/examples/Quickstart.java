package dev.bertforge.examples;

import ai.djl.ndarray.NDManager;
import dev.bertforge.options.PrepareOptions;
import dev.bertforge.pipelines.PreparePipeline;
import dev.bertforge.trainer.cli.CliArgs;
import dev.bertforge.trainer.cli.FillMask;
import dev.bertforge.trainer.cli.FillMaskCommand;
import dev.bertforge.trainer.export.Checkpoint;
import dev.bertforge.trainer.train.StageConfig;
import dev.bertforge.trainer.train.StageTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code ./bertforge quickstart}: the whole mission on the bundled sample corpus in one process: {@code prepare}
 * (dedup, tokenizer, token shards), the three training stages with the tiny configs, {@code export} and a
 * {@code fill-mask} demo, printing what each step did. The budgets are cut so that it all fits in a few minutes
 * on two CPU cores; the model is small and undertrained, the point is to see every step work.
 */
public final class Quickstart {

  static final String HELP = String.join("\n",
      "Usage: ./bertforge quickstart [--output=DIR] [options]",
      "",
      "Runs prepare → train (pretrain, context extension, decay) → export → fill-mask on the sample corpus",
      "examples/data/sample/python-docs.jsonl, with the tiny configs in examples/configs/tiny/.",
      "  --output=DIR           where everything goes (default ./quickstart-out); a previous quickstart's",
      "                         output there is replaced, any other non-empty directory is refused",
      "  --input=GLOB           another corpus (any format prepare reads; default: the sample corpus)",
      "  --vocabSize=N          tokenizer vocabulary (default 8192)",
      "  --pretrainTokens=N     training tokens per stage (defaults 2500K, 250K, 200K; K and M suffixes work)",
      "  --extensionTokens=N",
      "  --decayTokens=N",
      "  --text=TEXT            the fill-mask sentence, with [MASK] (default: a sentence from the sample corpus)");

  /** The sentence the demo asks about: it is in the sample corpus ("logging" is masked). */
  static final String DEFAULT_TEXT = "Useful handlers included with the [MASK] module.";

  /** The summary, written at the end. */
  static final String SUMMARY_FILE = "quickstart-summary.txt";

  /** Written first: marks a directory as a quickstart's output, which a rerun may replace. */
  static final String MARKER_FILE = ".bertforge-quickstart";

  /** What to run; {@link #defaults} is the command's default, tests shrink it. */
  record Settings(Path home, String input, Path output, int vocabSize, String pretrainTokens,
      String extensionTokens, String decayTokens, String text, List<String> trainOverrides) {

    static Settings defaults(Path home) {
      return new Settings(home, home.resolve("examples/data/sample/python-docs.jsonl").toString(),
          Path.of("quickstart-out"), 8192, "2500K", "250K", "200K", DEFAULT_TEXT, List.of());
    }

    Path configs() {
      return home.resolve("examples/configs/tiny");
    }
  }

  private Quickstart() {}

  public static void main(String[] args) {
    CliArgs.run(args, HELP, () -> {
      CliArgs options = CliArgs.parse(args, List.of("output", "input", "vocabSize", "pretrainTokens",
          "extensionTokens", "decayTokens", "text"));
      Settings d = Settings.defaults(home());
      Settings settings = new Settings(d.home(),
          options.has("input") ? options.required("input") : d.input(),
          options.has("output") ? options.requiredPath("output") : d.output(),
          options.integer("vocabSize", d.vocabSize()),
          options.has("pretrainTokens") ? options.required("pretrainTokens") : d.pretrainTokens(),
          options.has("extensionTokens") ? options.required("extensionTokens") : d.extensionTokens(),
          options.has("decayTokens") ? options.required("decayTokens") : d.decayTokens(),
          options.has("text") ? options.required("text") : d.text(),
          List.of());
      if (!settings.text().contains("[MASK]")) {
        throw new CliArgs.UsageException("--text needs a [MASK]");
      }
      run(settings);
    });
  }

  /** The repository root: the launcher says where it is; else the working directory. */
  static Path home() {
    String home = System.getProperty("bertforge.home");
    return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
  }

  /** Runs every step and returns the summary it printed (also written to {@code OUTPUT/quickstart-summary.txt}). */
  static QuickstartSummary run(Settings settings) throws Exception {
    Path out = settings.output().toAbsolutePath().normalize();
    OutputDirectory.claim(out, MARKER_FILE);
    QuickstartSummary summary = new QuickstartSummary(out);

    Path prepared = out.resolve("prepared");
    step(summary, "prepare: dedup, tokenizer, token shards", () -> {
      String[] args = {
          "--input=" + settings.input(),
          "--output=" + prepared,
          "--vocabSize=" + settings.vocabSize(),
          "--maxSeqLen=1024",
          "--numShards=2",
      };
      PrepareOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(PrepareOptions.class);
      PreparePipeline.run(options);
      summary.prepared(prepared);
    });

    String shards = prepared.resolve("shards").toString();
    String[][] stages = {
        {"pretrain", "pretrain.yaml", settings.pretrainTokens()},
        {"context_extension", "context_extension.yaml", settings.extensionTokens()},
        {"decay", "decay.yaml", settings.decayTokens()},
    };
    Path previous = null;
    Path lastCheckpoint = null;
    for (String[] stage : stages) {
      Path checkpoints = out.resolve("train").resolve(stage[0]);
      List<String> overrides = new ArrayList<>(List.of(
          "data.train=" + shards + "/tokens-*.tfrecord",
          "data.validation=" + shards + "/validation/tokens-*.tfrecord",
          "checkpoint.dir=" + checkpoints,
          "checkpoint.every_steps=1000000",
          "checkpoint.keep_last=1",
          "budget.tokens=" + stage[2],
          "eval.max_tokens=30K",
          "eval.every_steps=1000000",
          "log.every_seconds=15"));
      if (previous != null) {
        overrides.add("init_from=" + previous);
      }
      if (stage[0].equals("pretrain")) {
        // the tiny pretrain config warms batch size and LR up over budgets sized for its 4M tokens
        overrides.add("batch.warmup_tokens=200K");
        overrides.add("schedule.warmup_tokens=100K");
      }
      overrides.addAll(settings.trainOverrides());
      StageConfig config = StageConfig.load(settings.configs().resolve(stage[1]), overrides);
      StageTrainer.Result[] result = new StageTrainer.Result[1];
      step(summary, "train " + stage[0] + " (" + stage[2] + " tokens at " + config.data().maxSeqLen() + ")", () -> {
        result[0] = new StageTrainer(config, false).run();
        summary.trained(stage[0], result[0]);
      });
      previous = checkpoints;
      lastCheckpoint = result[0].lastCheckpoint();
    }

    Path model = out.resolve("model");
    Path checkpoint = lastCheckpoint;
    step(summary, "export to a Hugging Face directory", () -> {
      try (NDManager manager = NDManager.newBaseManager()) {
        Checkpoint.at(checkpoint).export(model, manager);
      }
      summary.exported(model);
    });

    step(summary, "fill-mask", () -> {
      try (FillMask fillMask = FillMask.open(model)) {
        summary.filledMask(settings.text(), FillMaskCommand.toTable(fillMask.predict(settings.text(), 5)));
      }
    });

    summary.write(out.resolve(SUMMARY_FILE));
    System.out.println();
    System.out.println(summary.text());
    return summary;
  }

  private static void step(QuickstartSummary summary, String title, CliArgs.CommandBody body) throws Exception {
    int number = summary.stepsDone() + 1;
    System.out.printf(Locale.ROOT, "%n==> quickstart step %d/6: %s%n", number, title);
    summary.beginStep();
    long start = System.nanoTime();
    body.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    summary.stepDone(title, seconds);
    System.out.printf(Locale.ROOT, "==> step %d done in %s%n%s%n", number, QuickstartSummary.duration(seconds),
        summary.lastStepLines());
  }
}
