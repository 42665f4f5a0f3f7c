package dev.bertforge.finetune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.trainer.model.ClassifierConfig;
import dev.bertforge.transforms.io.BadInputException;
import dev.bertforge.transforms.io.RejectReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labelled splits of a fine-tuning run, read ({@link ReadLabelled}) into {@code OUT/data/}: the task and label
 * set from the training labels, the validation split (given, or held out by id hash), and the records rejected at
 * each step, counted by reason, so that for every split records read = kept + rejected.
 */
final class LabelledData {
  private static final Logger LOG = LoggerFactory.getLogger(LabelledData.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One split: the examples kept and the rejected records by reason. */
  static final class Split {
    final String name;
    final List<LabelledExample> examples;
    final Map<String, Long> rejected = new TreeMap<>();

    Split(String name, List<LabelledExample> examples) {
      this.name = name;
      this.examples = examples;
    }

    long rejectedTotal() {
      return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    long read() {
      return examples.size() + rejectedTotal();
    }

    String describe() {
      String reasons = rejected.isEmpty() ? "" : rejected.entrySet().stream()
          .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ", " (", ")"));
      return String.format("%s: %,d records read, %,d kept, %,d rejected%s", name, read(), examples.size(),
          rejectedTotal(), reasons);
    }
  }

  final ClassifierConfig.Task task;
  /** Class names by id (for a regression, the one output's name). */
  final List<String> labels;
  final Split train;
  final Split validation;
  final Split test;

  private LabelledData(ClassifierConfig.Task task, List<String> labels, Split train, Split validation, Split test) {
    this.task = task;
    this.labels = labels;
    this.train = train;
    this.validation = validation;
    this.test = test;
  }

  /** The training target of an example: its label id, or its value for a regression. */
  float target(LabelledExample example) {
    return task == ClassifierConfig.Task.REGRESSION ? Float.parseFloat(example.label())
        : labels.indexOf(example.label());
  }

  /** Reads the splits {@code options} names into {@code dataDir} (one in-process Beam pipeline) and checks labels. */
  static LabelledData read(FinetuneOptions options, PipelineOptions pipelineOptions, Path dataDir)
      throws IOException {
    Pipeline pipeline = Pipeline.create(pipelineOptions);
    Map<String, String> inputs = new TreeMap<>();
    inputs.put("train", options.getTrain());
    if (options.getValidation() != null) {
      inputs.put("validation", options.getValidation());
    }
    if (options.getTest() != null) {
      inputs.put("test", options.getTest());
    }
    inputs.forEach((split, input) -> ReadLabelled.into(pipeline, split, input, dataDir.resolve(split).toString(),
        options));
    pipeline.run().waitUntilFinish();

    Split train = load("train", dataDir);
    Split validation;
    if (options.getValidation() != null) {
      validation = load("validation", dataDir);
    } else {
      validation = holdOut(train, options.getValidationFraction());
    }
    Split test = options.getTest() == null ? null : load("test", dataDir);
    boolean fail = options.getFailOnBadRecords();
    ClassifierConfig.Task task = task(options.getTask(), train);
    Path rejects = dataDir.resolve("label-rejects.jsonl");
    List<String> labels;
    if (task == ClassifierConfig.Task.REGRESSION) {
      labels = List.of("LABEL_0");
      for (Split split : Stream.of(train, validation, test).filter(s -> s != null).toList()) {
        keepIf(split, e -> isNumber(e.label()), RejectReason.BAD_LABEL,
            e -> "label '" + e.label() + "' is not a number (the task is a regression)", fail, rejects);
      }
    } else {
      labels = sortedLabels(train);
      if (labels.size() < 2) {
        throw new BadInputException(options.getTrain() + ": the training data has " + (labels.isEmpty()
            ? "no labelled records" : "one label only ('" + labels.get(0) + "')") + "; a classifier needs two or more");
      }
      Set<String> known = Set.copyOf(labels);
      for (Split split : Stream.of(validation, test).filter(s -> s != null).toList()) {
        keepIf(split, e -> known.contains(e.label()), RejectReason.UNSEEN_LABEL,
            e -> "label '" + e.label() + "' never occurs in the training data (labels: " + labels + ")", fail,
            rejects);
      }
    }
    if (validation.examples.isEmpty()) {
      throw new BadInputException("no validation records are left (" + validation.describe() + ")");
    }
    for (Split split : Stream.of(train, validation, test).filter(s -> s != null).toList()) {
      LOG.info("{}", split.describe());
    }
    return new LabelledData(task, labels, train, validation, test);
  }

  private static Split load(String name, Path dataDir) throws IOException {
    Path dir = dataDir.resolve(name);
    List<LabelledExample> examples = new ArrayList<>();
    try (Stream<String> lines = Files.lines(dir.resolve("examples.jsonl"), StandardCharsets.UTF_8)) {
      lines.forEach(line -> examples.add(LabelledExample.fromJson(line)));
    }
    Split split = new Split(name, examples);
    Path rejectedDir = dir.resolve("rejected");
    if (Files.isDirectory(rejectedDir)) {
      try (Stream<Path> files = Files.list(rejectedDir)) {
        for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList()) {
          for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            split.rejected.merge(JSON.readTree(line).get("reason").asText(), 1L, Long::sum);
          }
        }
      }
    }
    return split;
  }

  /** Moves the training records whose id hashes below {@code fraction} into a validation split. */
  static Split holdOut(Split train, double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("--validationFraction must be between 0 and 1 (exclusive) when there is no "
          + "--validation, got " + fraction);
    }
    List<LabelledExample> kept = new ArrayList<>();
    List<LabelledExample> held = new ArrayList<>();
    for (LabelledExample e : train.examples) {
      (unitHash(e.id()) < fraction ? held : kept).add(e);
    }
    train.examples.clear();
    train.examples.addAll(kept);
    return new Split("validation (held out of train)", held);
  }

  /** A stable value in [0, 1) from an id: FNV-1a over its UTF-8 bytes, mixed (SplitMix64's finaliser). */
  static double unitHash(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    h ^= h >>> 31;
    return (h >>> 11) * 0x1.0p-53;
  }

  private static ClassifierConfig.Task task(String name, Split train) {
    switch (name) {
      case "classification":
        return ClassifierConfig.Task.SINGLE_LABEL_CLASSIFICATION;
      case "regression":
        return ClassifierConfig.Task.REGRESSION;
      case "auto":
        boolean allNumbers = !train.examples.isEmpty() && train.examples.stream().allMatch(LabelledExample::numericLabel);
        boolean fractional = train.examples.stream().anyMatch(e -> e.numericLabel() && !isInteger(e.label()));
        return allNumbers && fractional ? ClassifierConfig.Task.REGRESSION
            : ClassifierConfig.Task.SINGLE_LABEL_CLASSIFICATION;
      default:
        throw new IllegalArgumentException("--task must be auto, classification or regression, got '" + name + "'");
    }
  }

  /** The distinct training labels, sorted: numerically when all are integers, else as strings. */
  static List<String> sortedLabels(Split train) {
    Set<String> distinct = new TreeSet<>();
    train.examples.forEach(e -> distinct.add(e.label()));
    List<String> labels = new ArrayList<>(distinct);
    if (labels.stream().allMatch(LabelledData::isInteger)) {
      labels.sort(Comparator.comparing(java.math.BigInteger::new));
    }
    return List.copyOf(labels);
  }

  private static void keepIf(Split split, java.util.function.Predicate<LabelledExample> ok, RejectReason reason,
      java.util.function.Function<LabelledExample, String> detail, boolean fail, Path rejects) {
    List<LabelledExample> bad = split.examples.stream().filter(ok.negate()).toList();
    if (bad.isEmpty()) {
      return;
    }
    if (fail) {
      LabelledExample first = bad.get(0);
      throw new BadInputException(first.where() + ": " + reason.name().toLowerCase(java.util.Locale.ROOT) + " ("
          + detail.apply(first) + ") (--failOnBadRecords=false rejects and counts such records)");
    }
    split.examples.removeAll(bad);
    split.rejected.merge(reason.name().toLowerCase(java.util.Locale.ROOT), (long) bad.size(), Long::sum);
    StringBuilder lines = new StringBuilder();
    for (LabelledExample e : bad) {
      ObjectNode o = JSON.createObjectNode().put("split", split.name).put("record", e.where())
          .put("reason", reason.name().toLowerCase(java.util.Locale.ROOT)).put("detail", detail.apply(e));
      lines.append(o).append('\n');
    }
    try {
      Files.writeString(rejects, lines, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isInteger(String s) {
    return s.matches("-?\\d+");
  }

  private static boolean isNumber(String s) {
    try {
      return Double.isFinite(Double.parseDouble(s.trim()));
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
