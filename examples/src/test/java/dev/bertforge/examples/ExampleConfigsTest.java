package dev.bertforge.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.bertforge.trainer.train.StageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every stage config under examples/configs loads (unknown keys and impossible values are errors). */
class ExampleConfigsTest {

  @Test
  void everyExampleConfigLoads() throws Exception {
    List<Path> configs;
    try (Stream<Path> files = Files.walk(Path.of("configs"))) {
      configs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(configs.size(), greaterThan(10));
    for (Path config : configs) {
      StageConfig stage = StageConfig.load(config, List.of());
      if (config.getFileName().toString().startsWith("context_extension")
          && !config.getParent().getFileName().toString().equals("tiny")) {
        assertThat(config + " trains at 8192 tokens", stage.data().maxSeqLen(), equalTo(8192));
      }
    }
  }
}
