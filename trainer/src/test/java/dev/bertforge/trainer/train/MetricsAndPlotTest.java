package dev.bertforge.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAndPlotTest {
  @TempDir Path tmp;

  @Test
  void aResumedLogDropsTheStepsAfterTheCheckpoint() throws IOException {
    try (MetricsLog log = MetricsLog.open(tmp, 0)) {
      for (long step = 1; step <= 12; step++) {
        log.write(log.newRecord("train", step).put("tokens", step * 1000).put("loss", 10.0 / step));
      }
      log.write(log.newRecord("eval", 10).put("tokens", 10_000).put("loss", 1.5));
    }
    try (MetricsLog resumed = MetricsLog.open(tmp, 10)) {
      assertEquals(11, resumed.records().size());
      resumed.write(resumed.newRecord("train", 11).put("tokens", 11_000).put("loss", 0.9));
    }
    assertEquals(12, Files.readAllLines(tmp.resolve(MetricsLog.FILE_NAME)).size());
    try (MetricsLog fresh = MetricsLog.open(tmp, 0)) {
      assertEquals(0, fresh.records().size(), "a fresh stage starts a new log");
    }
  }

  @Test
  void thePlotIsAPngOfTheRequestedSize() throws IOException {
    Path png = tmp.resolve("loss.png");
    try (MetricsLog log = MetricsLog.open(tmp, 0)) {
      for (long step = 1; step <= 50; step++) {
        log.write(log.newRecord("train", step).put("tokens", step * 16_000).put("loss", 9 - Math.log(step)));
      }
      log.write(log.newRecord("eval", 50).put("tokens", 800_000).put("loss", 5.2));
      LossPlot.write("pretrain", log.records(), png);
    }
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image);
    assertEquals(1000, image.getWidth());
    assertEquals(600, image.getHeight());
    assertTrue(Files.size(png) > 10_000);
  }

  @Test
  void progressLineShowsTheFigures() {
    ProgressLine progress = new ProgressLine(0, 10_000_000, 0, 0);
    String line = progress.maybe(12, 196_608, 7.25, 2e-3, 64, 0, true);
    assertTrue(line.startsWith("step 12 | 196.6K/10.00M tokens |"), line);
    assertTrue(line.contains("loss 7.2500 | lr 2.000e-03 | batch 64 | data wait 0.0% | ETA"), line);
    assertEquals("1h02m", ProgressLine.duration(3720));
  }
}
