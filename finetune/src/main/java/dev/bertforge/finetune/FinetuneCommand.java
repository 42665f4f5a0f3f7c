package dev.bertforge.finetune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.pipelines.PipelineCommand;
import dev.bertforge.trainer.export.HfConfig;
import dev.bertforge.trainer.export.HfModel;
import dev.bertforge.trainer.export.TokenizerFiles;
import dev.bertforge.trainer.model.ClassifierConfig;
import dev.bertforge.trainer.model.ModernBertConfig;
import dev.bertforge.trainer.train.CheckpointFolders;
import dev.bertforge.trainer.train.Threads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./bertforge finetune}: reads labelled data, fine-tunes a sequence classifier from a pretrained ModernBERT
 * once per seed, and writes {@code OUT/results.json} (each seed's metrics and their mean ± std), the metrics log,
 * a loss plot and the exported model of each seed ({@code OUT/model}, or {@code OUT/seed-N/model} for several).
 */
public final class FinetuneCommand {
  private static final Logger LOG = LoggerFactory.getLogger(FinetuneCommand.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final String RESULTS = "results.json";

  private FinetuneCommand() {}

  public static void main(String[] args) {
    // DJL warns on every CPU-only start that it found no CUDA driver; that is expected, not a problem
    System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
    FinetuneOptions options = PipelineCommand.parse("finetune", args, FinetuneOptions.class);
    PipelineCommand.exitOnFailure("finetune", () -> run(options));
  }

  /** Runs the whole command; returns results.json's content. */
  static ObjectNode run(FinetuneOptions options) throws IOException {
    Path out = Path.of(options.getOutput());
    if (Files.exists(out.resolve(RESULTS)) && !options.getOverwrite()) {
      throw new IllegalArgumentException(out + " already holds " + RESULTS + "; pass --overwrite=true or choose "
          + "another --output");
    }
    Files.createDirectories(out);
    if (options.getThreads() > 0) {
      Threads.use(options.getThreads());
    }
    List<Long> seeds = seeds(options.getSeeds());
    Path start = startingDirectory(Path.of(options.getModel()));
    TokenizerFiles tokenizer = TokenizerFiles.ofModel(start);
    ModernBertConfig config = HfConfig.read(start.resolve(HfModel.CONFIG)).toBuilder()
        .attentionOutputDropout((float) options.getAttentionDropout()).build();
    if (options.getMaxSeqLen() > config.maxPositionEmbeddings()) {
      throw new IllegalArgumentException("--maxSeqLen=" + options.getMaxSeqLen() + " is longer than the model's "
          + "max_position_embeddings (" + config.maxPositionEmbeddings() + ")");
    }
    ClassifierConfig.Pooling pooling = ClassifierConfig.Pooling.named(options.getPooling());

    LabelledData data = LabelledData.read(options, options, out.resolve("data"));
    float dropout = (float) options.getClassifierDropout();
    ClassifierConfig classifier = data.task == ClassifierConfig.Task.REGRESSION
        ? ClassifierConfig.regression(pooling, dropout)
        : new ClassifierConfig(data.task, data.labels, pooling, dropout);
    LOG.info("task: {}; model {} from {}", classifier, config, start);

    List<Batches.Encoded> train;
    List<Batches.Encoded> validation;
    List<Batches.Encoded> test;
    try (ExampleEncoder encoder = new ExampleEncoder(tokenizer, options.getMaxSeqLen())) {
      train = encode(data.train, data, encoder);
      validation = encode(data.validation, data, encoder);
      test = data.test == null ? null : encode(data.test, data, encoder);
    }
    FineTuneRun run = new FineTuneRun(options, start, config, classifier, tokenizer, train, validation, test);
    List<FineTuneRun.Result> results = new ArrayList<>();
    for (long seed : seeds) {
      Path dir = seeds.size() == 1 ? out : out.resolve("seed-" + seed);
      Files.createDirectories(dir);
      results.add(run.run(seed, dir));
    }
    ObjectNode report = report(options, start, classifier, data, results);
    Files.write(out.resolve(RESULTS), JSON.writeValueAsBytes(report));
    System.out.println(table(results));
    System.out.println("results: " + out.resolve(RESULTS));
    return report;
  }

  /** A checkpoint, the latest checkpoint of a stage folder, or a Hugging Face directory. */
  static Path startingDirectory(Path model) throws IOException {
    if (!Files.isDirectory(model)) {
      throw new IllegalArgumentException("--model=" + model + ": no such directory");
    }
    Path dir = CheckpointFolders.resolve(model).orElse(model);
    if (!Files.isRegularFile(dir.resolve(HfModel.CONFIG))) {
      throw new IllegalArgumentException("--model=" + model + " is neither a checkpoint, a stage folder with "
          + "checkpoints, nor a Hugging Face directory (no config.json)");
    }
    return dir;
  }

  static List<Long> seeds(String list) {
    List<Long> seeds = new ArrayList<>();
    for (String part : list.split(",")) {
      try {
        seeds.add(Long.parseLong(part.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--seeds must be integers separated by commas, got '" + list + "'");
      }
    }
    if (seeds.stream().distinct().count() != seeds.size()) {
      throw new IllegalArgumentException("--seeds repeats a seed: " + list);
    }
    return seeds;
  }

  private static List<Batches.Encoded> encode(LabelledData.Split split, LabelledData data, ExampleEncoder encoder) {
    List<Batches.Encoded> encoded = new ArrayList<>();
    for (LabelledExample e : split.examples) {
      encoded.add(new Batches.Encoded(encoder.encode(e.text(), e.textPair()), data.target(e)));
    }
    return encoded;
  }

  private static ObjectNode report(FinetuneOptions options, Path start, ClassifierConfig classifier,
      LabelledData data, List<FineTuneRun.Result> results) {
    ObjectNode report = JSON.createObjectNode();
    report.put("task", classifier.task().hfName);
    ArrayNode labels = report.putArray("labels");
    classifier.labels().forEach(labels::add);
    report.put("model", start.toString());
    Map<String, double[]> bySeed = new LinkedHashMap<>();
    for (int i = 0; i < results.size(); i++) {
      for (Map.Entry<String, Double> m : results.get(i).validation().entrySet()) {
        bySeed.computeIfAbsent(m.getKey(), k -> new double[results.size()])[i] = m.getValue();
      }
    }
    ObjectNode mean = report.putObject("metrics");
    ObjectNode std = report.putObject("std");
    bySeed.forEach((name, values) -> {
      mean.put(name, Arrays.stream(values).average().orElse(Double.NaN));
      std.put(name, std(values));
    });
    ArrayNode seeds = report.putArray("seeds");
    for (FineTuneRun.Result r : results) {
      ObjectNode s = seeds.addObject().put("seed", r.seed()).put("epoch", r.epoch())
          .put("train_seconds", r.trainSeconds()).put("model", r.model().toString());
      ObjectNode metrics = s.putObject("metrics");
      r.validation().forEach(metrics::put);
      if (r.test() != null) {
        ObjectNode test = s.putObject("test_metrics");
        r.test().forEach(test::put);
      }
      if (r.confusion() != null) {
        ArrayNode matrix = s.putArray("confusion_matrix");
        for (long[] row : r.confusion()) {
          ArrayNode line = matrix.addArray();
          for (long count : row) {
            line.add(count);
          }
        }
      }
    }
    ObjectNode counts = report.putObject("data");
    for (LabelledData.Split split : java.util.stream.Stream.of(data.train, data.validation, data.test)
        .filter(x -> x != null).toList()) {
      ObjectNode c = counts.putObject(split.name.startsWith("validation") ? "validation" : split.name)
          .put("read", split.read()).put("kept", split.examples.size()).put("rejected", split.rejectedTotal());
      ObjectNode reasons = c.putObject("rejected_by_reason");
      split.rejected.forEach(reasons::put);
    }
    if (data.validation.name.startsWith("validation (")) {
      ((ObjectNode) counts.get("validation")).put("held_out_of_train", true);
    }
    return report;
  }

  /** Sample standard deviation (n − 1), 0 for one seed. */
  static double std(double[] values) {
    if (values.length < 2) {
      return 0;
    }
    double mean = Arrays.stream(values).average().orElse(0);
    double ss = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
    return Math.sqrt(ss / (values.length - 1));
  }

  private static String table(List<FineTuneRun.Result> results) {
    List<String> names = new ArrayList<>(results.get(0).validation().keySet());
    StringBuilder t = new StringBuilder("| seed | " + String.join(" | ", names) + " |\n|---|");
    names.forEach(n -> t.append("---:|"));
    t.append('\n');
    for (FineTuneRun.Result r : results) {
      t.append("| ").append(r.seed());
      names.forEach(n -> t.append(" | ").append(String.format("%.4f", r.validation().get(n))));
      t.append(" |\n");
    }
    if (results.size() > 1) {
      t.append("| mean ± std");
      for (String n : names) {
        double[] v = results.stream().mapToDouble(r -> r.validation().get(n)).toArray();
        t.append(" | ").append(String.format("%.4f ± %.4f", Arrays.stream(v).average().orElse(0), std(v)));
      }
      t.append(" |\n");
    }
    return t.toString();
  }
}
