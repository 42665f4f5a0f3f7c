package dev.bertforge.trainer.train;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bertforge.trainer.data.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StageConfigTest {
  private static final String MINIMAL = """
      stage: pretrain
      model: {preset: tiny}
      data: {train: shards/}
      optimizer: {lr: 8e-4}
      batch: {size: 32, micro_size: 8, warmup_tokens: 5M, warmup_min_size: 8}
      budget: {tokens: 100M}
      checkpoint: {dir: out/pretrain}
      """;

  @Test
  void defaultsFollowTheRecipe() {
    StageConfig c = StageConfig.parse(MINIMAL, List.of());
    assertEquals(0.30, c.mlm().maskRate());
    assertEquals(0.15, c.mlm().evalMaskRate());
    assertEquals("stable_adamw", c.optimizer().name());
    assertEquals(0.9, c.optimizer().beta1());
    assertEquals(0.98, c.optimizer().beta2());
    assertEquals(1e-6, c.optimizer().eps());
    assertEquals(1e-5, c.optimizer().weightDecay());
    assertEquals(8e-4, c.optimizer().maxLr());
    assertEquals(0, c.optimizer().clipGradNorm());
    assertEquals(0.1, c.model().attentionOutputDropout());
    assertEquals(100_000_000L, c.budget().tokens());
    assertEquals(4, c.batch().microBatches());
    assertEquals(1, c.batchSizeWarmup().microBatchesAt(0));
    assertEquals(4, c.batchSizeWarmup().microBatchesAt(5_000_000));
    assertEquals(List.of(), c.data().validation());
    assertEquals(List.of(new DataSource("train", "shards/", 1.0)), c.data().train());
    assertFalse(c.data().mixture());
    assertTrue(c.learningRateSchedule() instanceof LearningRateSchedule.WarmupStableDecay);
  }

  @Test
  void setOverridesNestedKeysWithYamlValues() {
    StageConfig c = StageConfig.parse(MINIMAL, List.of("optimizer.lr=3e-4", "optimizer.betas=[0.8, 0.9]",
        "schedule.name=one_minus_sqrt", "data.validation=val/", "model.global_rope_theta=160000"));
    assertEquals(3e-4, c.optimizer().lr());
    assertEquals(0.8, c.optimizer().beta1());
    assertEquals(100_000_000L, c.schedule().decayTokens(), "1-sqrt decays over the whole budget by default");
    assertEquals(List.of(new DataSource("validation", "val/", 1.0)), c.data().validation());
    assertEquals(160000.0, c.model().globalRopeTheta());
  }

  @Test
  void aListOfSourcesIsAMixtureWithItsWeightsAndNamedValidationSets() {
    StageConfig c = StageConfig.parse(MINIMAL.replace("data: {train: shards/}", """
        data:
          train:
            - {name: web, path: "web/tokens-*.tfrecord", weight: 0.7}
            - {name: docs, path: docs/, weight: 0.3}
          validation:
            - {name: web, path: web-val/}
            - {name: docs, path: docs-val/}
        """), List.of());
    assertTrue(c.data().mixture());
    assertEquals(List.of(new DataSource("web", "web/tokens-*.tfrecord", 0.7), new DataSource("docs", "docs/", 0.3)),
        c.data().train());
    assertEquals(List.of("web", "docs"), c.data().validation().stream().map(DataSource::name).toList());

    String mixture = "data.train=[{name: web, path: w/, weight: 1}, %s]";
    for (String[] bad : new String[][] {
        {"{name: web, path: d/, weight: 1}", "data.train[1] repeats the source name 'web'"},
        {"{name: docs, path: d/}", "data.train[1] weight must be a positive number"},
        {"{name: docs, path: d/, weight: 0}", "data.train[1] weight must be a positive number"},
        {"{name: docs, weight: 1}", "data.train[1] path is required"},
        {"{name: docs, path: d/, weight: 1, share: 2}", "data.train[1] has the unknown key 'share'"},
        {"d/", "data.train[1] must be a source {name: NAME, path: GLOB, weight: W}"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> StageConfig.parse(MINIMAL, List.of(String.format(mixture, bad[0]))), bad[0]);
      assertThat(e.getMessage(), containsString(bad[1]));
    }
    IllegalArgumentException weighted = assertThrows(IllegalArgumentException.class,
        () -> StageConfig.parse(MINIMAL, List.of("data.validation=[{name: web, path: v/, weight: 1}]")));
    assertThat(weighted.getMessage(), containsString("validation sources take no weight"));
  }

  @Test
  void misspeltKeysAndBadValuesAreErrorsNamingTheKey() {
    IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
        () -> StageConfig.parse(MINIMAL, List.of("optimizer.weight_decy=0.1")));
    assertThat(typo.getMessage(), containsString("unknown key optimizer.weight_decy"));
    IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
        () -> StageConfig.parse(MINIMAL, List.of("batch.size=30")));
    assertThat(batch.getMessage(), containsString("batch.size (30) must be a multiple of batch.micro_size (8)"));
    IllegalArgumentException schedule = assertThrows(IllegalArgumentException.class,
        () -> StageConfig.parse(MINIMAL, List.of("schedule.name=cosine")));
    assertThat(schedule.getMessage(), containsString("schedule.name must be warmup_stable_decay"));
    IllegalArgumentException tokens = assertThrows(IllegalArgumentException.class,
        () -> StageConfig.parse(MINIMAL, List.of("budget.tokens=lots")));
    assertThat(tokens.getMessage(), containsString("budget.tokens must be a token count"));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> StageConfig.parse(MINIMAL.replace("optimizer: {lr: 8e-4}", ""), List.of()));
    assertThat(missing.getMessage(), containsString("optimizer.lr is required"));
  }

  @Test
  void everyShippedConfigLoads() throws Exception {
    Path configs = Path.of("..", "examples", "configs");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(configs)) {
      files = walk.filter(p -> p.toString().endsWith(".yaml")).toList();
    }
    assertTrue(files.size() >= 11, files.toString());
    for (Path file : files) {
      StageConfig c = StageConfig.load(file, List.of());
      assertEquals(0.9, c.optimizer().beta1(), file.toString());
      boolean longStage = file.getFileName().toString().startsWith("context_extension")
          && !file.getParent().getFileName().toString().equals("tiny");
      if (longStage) {
        assertEquals(8192, c.data().maxSeqLen(), file + " trains at 8192 tokens");
      }
    }
  }
}
