package dev.bertforge.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  @Test
  void warmupStableDecayRampsHoldsAndDecaysLinearly() {
    var wsd = new LearningRateSchedule.WarmupStableDecay(1000, 10_000, 2000, 0.1);
    assertEquals(1e-10, wsd.multiplier(0), 1e-15);
    assertEquals(0.5, wsd.multiplier(500), 1e-9);
    assertEquals(1.0, wsd.multiplier(1000));
    assertEquals(1.0, wsd.multiplier(7999));
    assertEquals(1 - 0.5 * 0.9, wsd.multiplier(9000), 1e-12);
    assertEquals(0.1, wsd.multiplier(10_000), 1e-12);
    var recipe = new LearningRateSchedule.WarmupStableDecay(1000, 10_000, 0, 0);
    assertEquals(1.0, recipe.multiplier(10_000), "the recipe's t_decay 0 never decays");
  }

  @Test
  void oneMinusSqrtFollowsTheFormulaDownToAlpha() {
    var decay = new LearningRateSchedule.OneMinusSqrt(0, 40_000, 0.001);
    assertEquals(1.0, decay.multiplier(0), 1e-12);
    assertEquals(0.001 + 0.999 * 0.5, decay.multiplier(10_000), 1e-12);
    assertEquals(0.001 + 0.999 * (1 - Math.sqrt(0.5)), decay.multiplier(20_000), 1e-12);
    assertEquals(0.001, decay.multiplier(40_000), 1e-12);
    assertEquals(0.001, decay.multiplier(80_000), 1e-12);
    var warm = new LearningRateSchedule.OneMinusSqrt(1000, 5000, 0.001);
    assertEquals(0.5, warm.multiplier(500), 1e-9);
    assertEquals(1.0, warm.multiplier(1000), 1e-12);
    assertEquals(0.001 + 0.999 * 0.5, warm.multiplier(2000), 1e-12);
  }

  @Test
  void constantWithAndWithoutWarmup() {
    assertEquals(1.0, new LearningRateSchedule.Constant(0).multiplier(0));
    assertEquals(0.25, new LearningRateSchedule.Constant(400).multiplier(100), 1e-9);
  }

  @Test
  void batchSizeWarmupGivesEverySizeTheSameNumberOfSteps() {
    // ModernBERT-base per GPU: 1 → 6 rows of 96 × 1024 over the warmup; here in small numbers
    int tokensPerMicroBatch = 1000;
    BatchSizeWarmup warmup = new BatchSizeWarmup(1, 6, 3_000_000);
    Map<Integer, Integer> steps = new HashMap<>();
    long tokens = 0;
    while (tokens < 3_000_000) {
      int size = warmup.microBatchesAt(tokens);
      steps.merge(size, 1, Integer::sum);
      tokens += (long) size * tokensPerMicroBatch;
    }
    assertEquals(5, steps.size(), steps.toString());
    for (int size = 1; size <= 5; size++) {
      assertEquals(200, steps.get(size), 1, "steps at " + size + " micro-batches: " + steps);
    }
    assertEquals(6, warmup.microBatchesAt(3_000_000));
    assertTrue(BatchSizeWarmup.constant(4).microBatchesAt(0) == 4);
  }
}
