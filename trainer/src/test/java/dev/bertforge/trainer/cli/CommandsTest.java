package dev.bertforge.trainer.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {
  @TempDir Path tmp;

  @Test
  void trainThenEvaluatePrintsLossAccuracyAndTokens() throws Exception {
    Path config = tmp.resolve("stage.yaml");
    Path run = tmp.resolve("run");
    Files.writeString(config, dev.bertforge.trainer.train.StageTrainerTestConfig.yaml(run));
    assertEquals(4, TrainCommand.train(new String[] {"--config=" + config, "--set", "budget.steps=4",
        "--set=checkpoint.every_steps=2"}).steps());
    assertTrue(Files.isDirectory(run.resolve("step-00000002")), "--set given as --set=key=value applies too");

    Path gzip = Path.of(getClass().getResource("/shards/gzip/manifest.json").toURI()).getParent();
    JsonNode json = EvaluateCommand.evaluate(new String[] {"--checkpoint=" + run, "--data=" + gzip});
    assertEquals(572, json.get("tokens").asLong(), "every token of the 21 fixture rows");
    assertTrue(json.get("masked").asLong() > 0);
    double loss = json.get("loss").asDouble();
    assertTrue(loss > 3 && loss < 10, "near ln(1024) = 6.93 for an almost untrained model: " + loss);
    double accuracy = json.get("accuracy").asDouble();
    assertTrue(accuracy >= 0 && accuracy <= 1);
    assertNull(json.get("sources"), "one unnamed shard set: no per-source figures");

    // named sources, as a mixture's data.validation lists them: each evaluated alone, the top level over both
    Path plain = gzip.resolveSibling("plain");
    JsonNode named = EvaluateCommand.evaluate(new String[] {"--checkpoint=" + run,
        "--data=held-out=" + gzip + ";again=" + plain});
    assertEquals(loss, named.get("sources").get("held-out").get("loss").asDouble(), 1e-12,
        "a source alone gives what it gives unnamed");
    long masked = named.get("sources").get("held-out").get("masked").asLong()
        + named.get("sources").get("again").get("masked").asLong();
    assertEquals(masked, named.get("masked").asLong());
    assertEquals(1144, named.get("tokens").asLong());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> EvaluateCommand.evaluate(new String[] {"--checkpoint=" + run, "--data=a=" + gzip + ";a=" + plain}));
    assertThat(twice.getMessage(), containsString("--data names the source 'a' twice"));
  }

  @Test
  void badArgumentsAreErrorsNamingTheProblem() {
    java.io.IOException missing = assertThrows(java.io.IOException.class,
        () -> TrainCommand.train(new String[] {"--config=" + tmp.resolve("missing.yaml")}));
    assertThat(missing.getMessage(), containsString("missing.yaml does not exist"));
    CliArgs.UsageException bogus = assertThrows(CliArgs.UsageException.class,
        () -> TrainCommand.train(new String[] {"--bogus=1"}));
    assertThat(bogus.getMessage(), containsString("unknown option --bogus"));
    CliArgs.UsageException noData = assertThrows(CliArgs.UsageException.class,
        () -> EvaluateCommand.evaluate(new String[] {"--checkpoint=" + tmp}));
    assertThat(noData.getMessage(), containsString("--data is required"));
  }

  @Test
  void fillMaskTableKeepsEachPredictionOnItsLine() {
    FillMask.MaskPredictions mask = new FillMask.MaskPredictions(3, java.util.List.of(
        new FillMask.Candidate("\n", 203, 0.5), new FillMask.Candidate(" the", 272, 0.25)));
    String table = FillMaskCommand.toTable(java.util.List.of(mask));
    assertEquals(3, table.lines().count(), table);
    assertThat(table, containsString("'\\n'"));
    assertThat(table, containsString("' the'"));
  }
}
