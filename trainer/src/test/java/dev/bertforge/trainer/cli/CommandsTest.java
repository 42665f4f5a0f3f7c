package dev.bertforge.trainer.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
    assertEquals(0, TrainCommand.run(new String[] {"--config=" + config, "--set", "budget.steps=4"}, System.out));

    Path gzip = Path.of(getClass().getResource("/shards/gzip/manifest.json").toURI()).getParent();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = EvaluateCommand.run(new String[] {"--checkpoint=" + run, "--data=" + gzip},
        new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(0, status);
    JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertEquals(572, json.get("tokens").asLong(), "every token of the 21 fixture rows");
    assertTrue(json.get("masked").asLong() > 0);
    double loss = json.get("loss").asDouble();
    assertTrue(loss > 3 && loss < 10, "near ln(1024) = 6.93 for an almost untrained model: " + loss);
    double accuracy = json.get("accuracy").asDouble();
    assertTrue(accuracy >= 0 && accuracy <= 1);
  }

  @Test
  void badArgumentsFailWithOneLine() {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(1, TrainCommand.run(new String[] {"--config=" + tmp.resolve("missing.yaml")}, quiet));
    assertEquals(1, TrainCommand.run(new String[] {"--bogus=1"}, quiet));
    assertEquals(1, EvaluateCommand.run(new String[] {"--checkpoint=" + tmp}, quiet));
    ByteArrayOutputStream help = new ByteArrayOutputStream();
    assertEquals(0, EvaluateCommand.run(new String[] {"--help"}, new PrintStream(help, true, StandardCharsets.UTF_8)));
    assertThat(help.toString(StandardCharsets.UTF_8), containsString("--checkpoint=DIR"));
  }
}
