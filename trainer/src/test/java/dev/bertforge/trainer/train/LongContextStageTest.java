package dev.bertforge.trainer.train;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.trainer.data.ShardSet;
import dev.bertforge.trainer.model.AttentionImplementation;
import dev.bertforge.trainer.model.ModernBertConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the 8192-token stages need: checkpointed training, length checks, no aborts, streamed evaluation. */
class LongContextStageTest {
  @TempDir Path tmp;

  @Test
  void trainingWithActivationCheckpointingGivesTheLossesOfPlainTraining() throws Exception {
    // dropout 0.1 is on in the test config: the recomputation must draw the same masks
    Map<Long, Double> plain = run("plain", "batch.activation_checkpointing=false", "budget.steps=8");
    Map<Long, Double> checkpointed = run("checkpointed", "batch.activation_checkpointing=true", "budget.steps=8");
    assertEquals(8, checkpointed.size());
    for (long step = 1; step <= 8; step++) {
      assertEquals(plain.get(step), checkpointed.get(step), 1e-5 * Math.abs(plain.get(step)), "step " + step);
    }
  }

  @Test
  void shardsShorterThanTheStageAreRefusedUnlessAllowed() throws Exception {
    // the fixture shards were pretokenized at 80 tokens
    IOException e = assertThrows(IOException.class, () -> run("short", "data.max_seq_len=128", "budget.steps=1"));
    assertThat(e.getMessage(), containsString("pretokenized at max_seq_len 80 (mode pack)"));
    assertThat(e.getMessage(), containsString("this stage's data.max_seq_len 128"));
    assertThat(e.getMessage(), containsString("--maxSeqLen=128"));
    assertEquals(1, run("allowed", "data.max_seq_len=128", "data.allow_shorter_rows=true", "budget.steps=1").size());
  }

  @Test
  void microBatchesWithNothingMaskedAreSkippedAndCounted() throws Exception {
    Path dir = tmp.resolve("sparse");
    // one 8-token row per micro-batch at a 2% mask rate: most micro-batches mask nothing
    new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(dir), List.of("mlm.mask_rate=0.02",
        "data.max_seq_len=8", "data.pack=false", "batch.size=2", "batch.micro_size=1", "batch.warmup_tokens=0",
        "batch.warmup_min_size=2", "budget.steps=12", "eval.every_steps=0")), false).run();
    long empty = 0;
    long steps = 0;
    for (JsonNode record : records(dir, "train")) {
      empty += record.get("empty_micro_batches").asLong();
      steps++;
      assertTrue(record.get("peak_rss_bytes").asLong() > 0);
    }
    assertEquals(12, steps);
    assertTrue(empty > 0, "some micro-batch had nothing masked");
  }

  @Test
  void evaluationReadsNoFurtherThanItsTokenBudget() throws Exception {
    // a validation set whose second shard is corrupt: streamed evaluation with a small budget never reaches it
    Path plain = Path.of(getClass().getResource("/shards/plain/manifest.json").toURI()).getParent();
    Path dir = Files.createDirectories(tmp.resolve("validation"));
    Files.copy(plain.resolve("manifest.json"), dir.resolve("manifest.json"));
    Files.copy(plain.resolve("tokens-00000-of-00002.tfrecord"), dir.resolve("tokens-00000-of-00002.tfrecord"));
    Files.write(dir.resolve("tokens-00001-of-00002.tfrecord"), new byte[4096]);
    ShardSet shards = ShardSet.open(dir.toString());
    ModernBertConfig config = ModernBertConfig.preset(ModernBertConfig.Preset.TINY).hiddenSize(32)
        .numHiddenLayers(2).numAttentionHeads(2).intermediateSize(48).localAttention(8)
        .vocabSize(shards.manifest().vocabSize()).padTokenId(shards.manifest().specialTokenIds().pad()).build();
    try (MlmModel model = MlmModel.initialize(config, 1)) {
      MlmModel.EvalCounts counts = new Evaluator(shards, 0.15, 24, 2, 60, 3).run(model);
      assertTrue(counts.tokens() >= 60 && counts.labelled() > 0, counts.toString());
      // with no budget it reads on and finds the corrupt shard, naming it
      IOException e = assertThrows(IOException.class, () -> new Evaluator(shards, 0.15, 24, 2, 0, 3).run(model));
      assertThat(e.getMessage(), containsString("tokens-00001-of-00002.tfrecord"));
    }
  }

  @Test
  void autoCheckpointsWhenThePlainBackwardWouldNotFitInHalfTheMemory() {
    ModernBertConfig mini = ModernBertConfig.preset(ModernBertConfig.Preset.MINI).vocabSize(32768).padTokenId(3)
        .attention(AttentionImplementation.FUSED).build();
    ModernBertConfig miniEager = mini.toBuilder().attention(AttentionImplementation.EAGER).build();
    ModernBertConfig base = ModernBertConfig.preset(ModernBertConfig.Preset.BASE).vocabSize(50368).padTokenId(3)
        .attention(AttentionImplementation.FUSED).build();
    long memory = 16L << 30;
    // measured for one 8192-token row: mini plain fused 4.8 GB, eager 11.7 GB (6.4 GB of it probabilities)
    assertFalse(ActivationCheckpointing.decide("auto", mini, 1, 8192, memory).on());
    assertTrue(ActivationCheckpointing.decide("auto", miniEager, 1, 8192, memory).on(), "eager keeps S² scores");
    assertTrue(ActivationCheckpointing.decide("auto", base, 12, 8192, memory).on());
    assertFalse(ActivationCheckpointing.decide("auto", base, 16, 1024, 80L << 30).on());
    assertFalse(ActivationCheckpointing.decide("false", miniEager, 1, 8192, memory).on());
    assertTrue(ActivationCheckpointing.decide("true", mini, 1, 128, memory).on());
    assertThat(ActivationCheckpointing.decide("auto", base, 12, 8192, memory).reason(),
        containsString("12 x 8192 tokens"));
  }

  private Map<Long, Double> run(String name, String... overrides) throws Exception {
    Path dir = tmp.resolve(name);
    new StageTrainer(StageConfig.parse(StageTrainerTestConfig.yaml(dir), List.of(overrides)), false).run();
    return StageTrainerTest.losses(dir, "train");
  }

  private static List<JsonNode> records(Path dir, String type) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(dir.resolve(MetricsLog.FILE_NAME))) {
      JsonNode record = json.readTree(line);
      if (record.get("type").asText().equals(type)) {
        out.add(record);
      }
    }
    return out;
  }
}
