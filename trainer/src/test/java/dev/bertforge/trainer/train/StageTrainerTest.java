package dev.bertforge.trainer.train;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.trainer.export.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole stages on a very small model and the TensorFlow-written fixture shards. */
class StageTrainerTest {
  @TempDir Path tmp;

  @Test
  void aResumedRunReachesTheSameLossesAsAnUninterruptedOne() throws Exception {
    Path straight = tmp.resolve("straight");
    new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(straight), List.of()), false).run();

    Path interrupted = tmp.resolve("interrupted");
    new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(interrupted), List.of("budget.steps=20")), false).run();
    StageTrainer.Result resumed =
        new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(interrupted), List.of()), true).run();

    Map<Long, Double> expected = losses(straight, "train");
    Map<Long, Double> actual = losses(interrupted, "train");
    assertEquals(30, actual.size(), "metrics.jsonl holds every step once: " + actual.keySet());
    for (long step = 21; step <= 30; step++) {
      assertEquals(expected.get(step), actual.get(step), 0.0, "loss at step " + step);
    }
    assertEquals(losses(straight, "eval").get(30L), losses(interrupted, "eval").get(30L), 0.0);
    assertEquals(List.of(10L, 20L, 30L), new ArrayList<>(losses(interrupted, "eval").keySet()));
    assertEquals(30, resumed.steps());
    double first = (expected.get(1L) + expected.get(2L) + expected.get(3L)) / 3;
    double last = (expected.get(28L) + expected.get(29L) + expected.get(30L)) / 3;
    assertTrue(last < first - 0.25, "it learns: " + first + " -> " + last);
    assertTrue(Files.size(straight.resolve("loss.png")) > 0);
    JsonNode state = new ObjectMapper().readTree(straight.resolve("step-00000030/trainer_state.json").toFile());
    assertEquals(30, state.get("optimizer_steps").asInt());
  }

  @Test
  void aStageFromThePreviousRestartsTheScheduleAndKeepsOrResetsTheMoments() throws Exception {
    Path first = tmp.resolve("first");
    new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(first), List.of("budget.steps=10")), false).run();
    Path second = tmp.resolve("second");
    List<String> next = List.of("init_from=" + first, "model.preset=null", "model.hidden_size=null",
        "model.num_hidden_layers=null", "model.num_attention_heads=null", "model.intermediate_size=null",
        "model.global_rope_theta=160000", "budget.steps=5", "checkpoint.dir=" + second);
    new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(first), next), false).run();
    TrainingState kept = TrainingState.read(second.resolve("step-00000005"));
    assertEquals(5, kept.step(), "the stage's own step count starts again");
    assertEquals(15, kept.optimizerSteps(), "the moments' step count continues");
    JsonNode config = new ObjectMapper().readTree(second.resolve("step-00000005/config.json").toFile());
    assertEquals(160000.0, config.get("global_rope_theta").asDouble());
    assertEquals(List.of(5L), new ArrayList<>(losses(second, "eval").keySet()), "evaluated at the end only");
    Map<Long, Double> lrs = values(second, "train", "lr");
    assertTrue(lrs.get(1L) < 1e-3, "the warmup starts again: lr " + lrs.get(1L));

    Path third = tmp.resolve("third");
    List<String> reset = new ArrayList<>(next);
    reset.add("reset_optimizer=true");
    reset.add("checkpoint.dir=" + third);
    new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(first), reset), false).run();
    assertEquals(5, TrainingState.read(third.resolve("step-00000005")).optimizerSteps());
  }

  @Test
  void refusesToOverwriteARunAndShardsOfAnotherTokenizer() throws Exception {
    Path run = tmp.resolve("run");
    new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(run), List.of("budget.steps=2", "checkpoint.every_steps=0")), false)
        .run();
    IOException again = assertThrows(IOException.class,
        () -> new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(run), List.of()), false).run());
    assertThat(again.getMessage(), containsString("already holds checkpoints"));

    Path shards = Files.createDirectories(tmp.resolve("other-tokenizer"));
    Path plain = Path.of(getClass().getResource("/shards/plain/manifest.json").toURI()).getParent();
    for (String file : List.of("tokens-00000-of-00002.tfrecord", "tokens-00001-of-00002.tfrecord")) {
      Files.copy(plain.resolve(file), shards.resolve(file));
    }
    String manifest = Files.readString(plain.resolve("manifest.json"));
    Files.writeString(shards.resolve("manifest.json"),
        manifest.replaceFirst("\"tokenizer_sha256\": \"[0-9a-f]+\"", "\"tokenizer_sha256\": \"0123\""));
    List<String> next = List.of("init_from=" + run, "model.preset=null", "model.hidden_size=null",
        "model.num_hidden_layers=null", "model.num_attention_heads=null", "model.intermediate_size=null",
        "data.train=" + shards, "data.validation=null", "checkpoint.dir=" + tmp.resolve("next"));
    IOException tokenizer = assertThrows(IOException.class,
        () -> new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(run), next), false).run());
    assertThat(tokenizer.getMessage(), containsString("were made with tokenizer sha256 0123"));
  }

  @Test
  void aHuggingFaceDirectoryStartsAStageWhenItsVocabularyFits() throws Exception {
    Path hf = Path.of(getClass().getResource("/parity/l4_h32/config.json").toURI()).getParent();
    Path fitting = TestShards.write(tmp.resolve("vocab96"), 96, 12, 24, 1);
    List<String> fromHf = List.of("init_from=" + hf, "model.preset=null", "model.hidden_size=null",
        "model.num_hidden_layers=null", "model.num_attention_heads=null", "model.intermediate_size=null",
        "data.train=" + fitting, "data.validation=null", "budget.steps=3", "checkpoint.dir=" + tmp.resolve("hf"));
    new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(tmp), fromHf), false).run();
    TrainingState state = TrainingState.read(tmp.resolve("hf/step-00000003"));
    assertEquals(3, state.optimizerSteps(), "moments start at zero from a Hugging Face directory");
    JsonNode config = new ObjectMapper().readTree(tmp.resolve("hf/step-00000003/config.json").toFile());
    assertEquals(32, config.get("hidden_size").asInt());

    List<String> tooSmall = new ArrayList<>(fromHf);
    tooSmall.set(6, "data.train=" + Path.of(getClass().getResource("/shards/plain/manifest.json").toURI()).getParent());
    tooSmall.set(9, "checkpoint.dir=" + tmp.resolve("hf2"));
    IOException e = assertThrows(IOException.class,
        () -> new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(tmp), tooSmall), false).run());
    assertThat(e.getMessage(), containsString("use a vocabulary of 1000 tokens but the model " + hf
        + " has only 96"));
  }

  @Test
  void checkpointsCarryTheShardsTokenizerSoTheyExport() throws Exception {
    Path tokenizer = Path.of(getClass().getResource("/parity/tokenizer/tokenizer.json").toURI());
    Path prepared = tmp.resolve("prepared");
    Files.createDirectories(prepared.resolve("tokenizer"));
    Files.copy(tokenizer, prepared.resolve("tokenizer/tokenizer.json"));
    Path shards = TestShards.write(prepared.resolve("shards"), 96, 12, 24, 2, TokenizerCheck.sha256(tokenizer));
    List<String> settings = List.of("data.train=" + shards, "data.validation=null", "budget.steps=2",
        "checkpoint.dir=" + tmp.resolve("run"));
    new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(tmp), settings), false).run();
    Path checkpoint = tmp.resolve("run/step-00000002");
    assertEquals(Files.readString(tokenizer), Files.readString(checkpoint.resolve("tokenizer/tokenizer.json")));
    try (NDManager manager = NDManager.newBaseManager()) {
      Checkpoint.at(checkpoint).export(tmp.resolve("exported"), manager);
    }
    assertTrue(Files.isRegularFile(tmp.resolve("exported/model.safetensors")));
    assertTrue(Files.isRegularFile(tmp.resolve("exported/tokenizer.json")));

    Path other = tmp.resolve("other/tokenizer.json");
    Files.createDirectories(other.getParent());
    Files.writeString(other, Files.readString(tokenizer) + "\n");
    List<String> wrong = new ArrayList<>(settings);
    wrong.set(3, "checkpoint.dir=" + tmp.resolve("run2"));
    wrong.add("data.tokenizer=" + other);
    IOException e = assertThrows(IOException.class,
        () -> new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(tmp), wrong), false).run());
    assertThat(e.getMessage(), containsString("is not the tokenizer the shards"));
  }

  @Test
  void aNonFiniteLossStopsNamingTheStepAndTheLastCheckpoint() throws Exception {
    Path run = tmp.resolve("run");
    new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(run), List.of("budget.steps=10")), false).run();
    NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> new StageTrainer(
        StageConfig.parse(StageTrainerTestConfig.yaml(run), List.of("budget.steps=60", "optimizer.lr=1e30", "optimizer.name=adamw",
            "optimizer.eps=0")), true).run());
    assertThat(e.getMessage(), containsString(" at step "));
    assertThat(e.getMessage(), containsString("the last good checkpoint is " + run.resolve("step-")));
  }

  static Map<Long, Double> losses(Path dir, String type) throws IOException {
    return values(dir, type, "loss");
  }

  private static Map<Long, Double> values(Path dir, String type, String field) throws IOException {
    Map<Long, Double> values = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(dir.resolve(MetricsLog.FILE_NAME))) {
      JsonNode record = json.readTree(line);
      if (record.get("type").asText().equals(type)) {
        values.put(record.get("step").asLong(), record.get(field).asDouble());
      }
    }
    return values;
  }
}
