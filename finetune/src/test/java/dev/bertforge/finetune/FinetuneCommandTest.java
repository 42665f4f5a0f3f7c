package dev.bertforge.finetune;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.trainer.export.HfModel;
import dev.bertforge.trainer.export.TokenizerFiles;
import dev.bertforge.trainer.model.ModernBertForSequenceClassification;
import dev.bertforge.transforms.io.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code finetune} end to end on a tiny pretrained model (the trainer's parity model with its word-level tokenizer)
 * and a task it can learn (does the text contain the word "city"?): results, counts of rejected records, the
 * exported model, bad input.
 */
class FinetuneCommandTest {

  private static final Path PARITY = Path.of("../trainer/src/test/resources/parity");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] WORDS = ("the a of to and in is was for on that with as by it at from his an were "
      + "are which this be has or had not but first one their its new after who they have her she two been other "
      + "when there all during into school time may years more most only over").split(" ");

  @TempDir
  static Path dir;
  static Path model;

  @BeforeAll
  static void tinyPretrainedModel() throws IOException {
    model = dir.resolve("model");
    Files.createDirectories(model);
    Files.copy(PARITY.resolve("l4_h32/config.json"), model.resolve("config.json"));
    Files.copy(PARITY.resolve("l4_h32/model.safetensors"), model.resolve("model.safetensors"));
    Files.copy(PARITY.resolve("tokenizer/tokenizer.json"), model.resolve("tokenizer.json"));
  }

  /** {@code n} records: random words, half of them with "city" in them (label "city", else "other"). */
  private static List<String> records(int n, long seed, boolean regression) {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder text = new StringBuilder();
      int length = 4 + random.nextInt(12);
      boolean city = random.nextBoolean();
      int at = random.nextInt(length);
      for (int w = 0; w < length; w++) {
        text.append(w == 0 ? "" : " ").append(w == at && city ? "city" : WORDS[random.nextInt(WORDS.length)]);
      }
      String label = regression ? (city ? "2.5" : "-0.75") : (city ? "\"city\"" : "\"other\"");
      lines.add("{\"id\": \"r" + seed + "-" + i + "\", \"text\": \"" + text + "\", \"label\": " + label + "}");
    }
    return lines;
  }

  private static FinetuneOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(FinetuneOptions.class);
  }

  @Test
  void learnsTheTaskCountsRejectsAndExportsAClassifierPerSeed() throws Exception {
    Path data = dir.resolve("classify");
    Files.createDirectories(data);
    List<String> train = records(240, 1, false);
    train.add("{\"id\": \"no-label\", \"text\": \"the city\"}");
    train.add("{\"id\": \"blank\", \"text\": \"the city\", \"label\": \"  \"}");
    train.add("{\"id\": \"bool\", \"text\": \"the city\", \"label\": true}");
    train.add("{\"id\": \"number-text\", \"text\": 7, \"label\": \"city\"}");
    Files.write(data.resolve("train.jsonl"), train, StandardCharsets.UTF_8);
    List<String> validation = records(60, 2, false);
    validation.add("{\"id\": \"unseen\", \"text\": \"the city\", \"label\": \"village\"}");
    Files.write(data.resolve("validation.jsonl"), validation, StandardCharsets.UTF_8);
    Path out = dir.resolve("out-classify");

    JsonNode results = FinetuneCommand.run(options("--model=" + model, "--train=" + data.resolve("train.jsonl"),
        "--validation=" + data.resolve("validation.jsonl"), "--output=" + out, "--lr=3e-3", "--batchSize=16",
        "--epochs=4", "--pooling=mean", "--seeds=5,6", "--failOnBadRecords=false"));

    assertThat(results.get("task").asText(), is("single_label_classification"));
    assertThat(results.get("labels").toString(), is("[\"city\",\"other\"]"));
    assertThat(results.get("metrics").get("accuracy").asDouble(), greaterThanOrEqualTo(0.9));
    assertThat(results.get("seeds").size(), is(2));
    JsonNode counts = results.get("data");
    assertThat(counts.get("train").get("read").asLong(), is(244L));
    assertThat(counts.get("train").get("kept").asLong(), is(240L));
    assertThat(counts.get("train").get("rejected_by_reason").toString(),
        is("{\"bad_label\":1,\"missing_label\":2,\"text_not_string\":1}"));
    assertThat(counts.get("validation").get("read").asLong(), is(61L));
    assertThat(counts.get("validation").get("rejected_by_reason").toString(), is("{\"unseen_label\":1}"));
    assertThat(Files.readString(out.resolve("data/label-rejects.jsonl")), containsString("unseen"));
    // the same file on disk
    assertThat(JSON.readTree(out.resolve(FinetuneCommand.RESULTS).toFile()).toString(), is(results.toString()));

    // each seed's export is a classifier whose predictions give the reported accuracy
    for (JsonNode seed : results.get("seeds")) {
      Path export = Path.of(seed.get("model").asText());
      assertThat(export, is(out.resolve("seed-" + seed.get("seed").asLong()).resolve("model")));
      assertThat(Files.isRegularFile(export.resolve("tokenizer.json")), is(true));
      assertThat(Files.isRegularFile(export.getParent().resolve("metrics.jsonl")), is(true));
      assertThat(Files.size(export.getParent().resolve("loss.png")), greaterThan(1000L));
      double accuracy = accuracyOf(export, validation.subList(0, 60));
      assertThat(accuracy, closeTo(seed.get("metrics").get("accuracy").asDouble(), 1e-9));
    }

    // classify: every document predicted, the same labels as the model gives them one at a time
    Path export = out.resolve("seed-5/model");
    Path predictions = dir.resolve("predictions");
    String summary = ClassifyCommand.classify(PipelineOptionsFactory.fromArgs("--model=" + export,
        "--input=" + data.resolve("validation.jsonl"), "--idField=id", "--output=" + predictions, "--batchSize=7",
        "--allScores=true").as(ClassifyOptions.class));
    assertThat(summary, containsString("classified 61 documents"));
    List<JsonNode> lines = new ArrayList<>();
    try (var files = Files.list(predictions)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("predictions-")).toList()) {
        for (String line : Files.readAllLines(f)) {
          lines.add(JSON.readTree(line));
        }
      }
    }
    assertThat(lines.size(), is(61));
    java.util.Map<String, String> predicted = new java.util.HashMap<>();
    for (JsonNode line : lines) {
      predicted.put(line.get("id").asText(), line.get("label").asText());
      double sum = line.get("scores").get("city").asDouble() + line.get("scores").get("other").asDouble();
      assertThat(sum, closeTo(1.0, 1e-5));
      assertThat(line.get("score").asDouble(), closeTo(line.get("scores").get(line.get("label").asText()).asDouble(),
          1e-7));
    }
    int correct = 0;
    for (String line : validation.subList(0, 60)) {
      JsonNode record = JSON.readTree(line);
      correct += predicted.get(record.get("id").asText()).equals(record.get("label").asText()) ? 1 : 0;
    }
    assertThat(correct / 60.0, closeTo(results.get("seeds").get(0).get("metrics").get("accuracy").asDouble(), 1e-9));

    String latency = ClassifyCommand.latency(PipelineOptionsFactory.fromArgs("--model=" + export,
        "--input=" + data.resolve("validation.jsonl"), "--output=" + dir.resolve("latency"), "--latency=5")
        .as(ClassifyOptions.class));
    assertThat(latency, containsString("latency over 5 single-document requests"));
  }

  private static double accuracyOf(Path export, List<String> lines) throws Exception {
    try (NDManager manager = NDManager.newBaseManager();
        ExampleEncoder encoder = new ExampleEncoder(TokenizerFiles.ofModel(export), 512)) {
      ModernBertForSequenceClassification classifier = HfModel.loadClassifier(export, manager);
      ParameterStore ps = new ParameterStore(manager, false);
      int correct = 0;
      for (String line : lines) {
        JsonNode record = JSON.readTree(line);
        long[] ids = encoder.encode(record.get("text").asText(), null);
        float[] logits = classifier.logits(ps, dev.bertforge.trainer.model.EncoderInput.ofRows(new long[][] {ids},
            classifier.config().padTokenId()), manager).toFloatArray();
        String predicted = classifier.classifier().labels().get(FineTuneRun.argMax(logits));
        correct += predicted.equals(record.get("label").asText()) ? 1 : 0;
      }
      return (double) correct / lines.size();
    }
  }

  @Test
  void aRegressionIsInferredFromFractionalLabelsAndHeldOutByIdHash() throws Exception {
    Path data = dir.resolve("regress");
    Files.createDirectories(data);
    Files.write(data.resolve("train.jsonl"), records(200, 3, true), StandardCharsets.UTF_8);
    Path out = dir.resolve("out-regress");
    JsonNode results = FinetuneCommand.run(options("--model=" + model, "--train=" + data.resolve("train.jsonl"),
        "--output=" + out, "--lr=3e-3", "--batchSize=16", "--epochs=3", "--validationFraction=0.2"));
    assertThat(results.get("task").asText(), is("regression"));
    JsonNode counts = results.get("data");
    assertThat(counts.get("train").get("kept").asLong() + counts.get("validation").get("kept").asLong(), is(200L));
    assertThat(counts.get("validation").get("held_out_of_train").asBoolean(), is(true));
    assertThat(results.get("metrics").get("pearson").asDouble(), greaterThan(0.5));
    assertThat(Files.isRegularFile(out.resolve("model/model.safetensors")), is(true));
  }

  @Test
  void aBadRecordStopsTheRunNamingItsFileAndRecordAndOneLabelIsRefused() throws Exception {
    Path data = dir.resolve("bad");
    Files.createDirectories(data);
    List<String> train = records(20, 4, false);
    train.add(7, "{\"id\": \"no-label\", \"text\": \"the city\"}");
    Files.write(data.resolve("train.jsonl"), train, StandardCharsets.UTF_8);
    Exception e = assertThrows(Exception.class, () -> FinetuneCommand.run(options("--model=" + model,
        "--train=" + data.resolve("train.jsonl"), "--output=" + dir.resolve("out-bad"))));
    String message = rootMessage(e);
    assertThat(message, containsString("train.jsonl"));
    assertThat(message, containsString("record train.jsonl:8")); // ids without --idField: path:line
    assertThat(message, containsString("missing_label"));

    List<String> one = records(20, 5, false).stream().map(l -> l.replace("\"other\"", "\"city\"")).toList();
    Files.write(data.resolve("one.jsonl"), one, StandardCharsets.UTF_8);
    Exception single = assertThrows(Exception.class, () -> FinetuneCommand.run(options("--model=" + model,
        "--train=" + data.resolve("one.jsonl"), "--output=" + dir.resolve("out-one"))));
    assertThat(rootMessage(single), containsString("one label only ('city')"));
  }

  private static String rootMessage(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BadInputException) {
        return c.getMessage();
      }
    }
    return String.valueOf(t);
  }
}
