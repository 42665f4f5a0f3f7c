package dev.bertforge.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertforge.trainer.data.DataPosition;
import dev.bertforge.trainer.data.SequencePacker;
import dev.bertforge.trainer.data.ShardSet;
import dev.bertforge.trainer.data.ShuffledRows;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepBatcherTest {

  @Test
  void stepsRebuiltFromACheckpointedPositionAreIdentical() throws Exception {
    List<StepBatch> reference = steps(DataPosition.START, 0, 0, 12);
    StepBatch sixth = reference.get(5);
    long tokens = reference.subList(0, 6).stream().mapToLong(StepBatch::tokens).sum();
    List<StepBatch> resumed = steps(sixth.positionAfter(), 6, tokens, 6);
    for (int i = 0; i < 6; i++) {
      StepBatch a = reference.get(6 + i);
      StepBatch b = resumed.get(i);
      assertEquals(a.step(), b.step());
      assertEquals(a.microBatches().size(), b.microBatches().size());
      for (int m = 0; m < a.microBatches().size(); m++) {
        MicroBatch x = a.microBatches().get(m);
        MicroBatch y = b.microBatches().get(m);
        assertArrayEquals(x.labels(), y.labels());
        for (int r = 0; r < x.rows(); r++) {
          assertArrayEquals(x.inputs()[r], y.inputs()[r]);
          assertArrayEquals(x.docLengths()[r], y.docLengths()[r]);
        }
      }
    }
  }

  @Test
  void batchSizeGrowsWithTokensAndCountsThem() throws Exception {
    List<StepBatch> steps = steps(DataPosition.START, 0, 0, 8);
    assertEquals(1, steps.get(0).microBatches().size());
    assertEquals(3, steps.get(7).microBatches().size());
    assertEquals(steps.get(0).sequences() * 1, steps.get(0).microBatches().get(0).rows());
  }

  @Test
  void prefetcherKeepsOrderAndPassesFailuresOn() throws Exception {
    int[] next = {0};
    try (Prefetcher<Integer> numbers = new Prefetcher<>("test", 2, () -> {
      if (next[0] == 5) {
        throw new IOException("shard broke");
      }
      return next[0]++;
    })) {
      for (int i = 0; i < 5; i++) {
        assertEquals(i, numbers.take());
      }
      IOException e = assertThrows(IOException.class, numbers::take);
      assertEquals("shard broke", e.getMessage());
    }
  }

  private static List<StepBatch> steps(DataPosition start, long lastStep, long tokens, int count)
      throws IOException, URISyntaxException {
    Path folder = Path.of(StepBatcherTest.class.getResource("/shards/plain/manifest.json").toURI()).getParent();
    ShardSet shards = ShardSet.open(folder.toString());
    ShuffledRows rows = new ShuffledRows(shards, 11, true, 1, 32, 1000, true, start);
    MlmMasking masking = new MlmMasking(0.3, shards.manifest().specialTokenIds(), 1000, true);
    List<StepBatch> steps = new ArrayList<>();
    try (StepBatcher batcher = new StepBatcher(new SequencePacker(rows, 32, true), masking, 2,
        new BatchSizeWarmup(1, 3, 200), 11, lastStep, tokens)) {
      for (int i = 0; i < count; i++) {
        steps.add(batcher.next());
      }
    }
    return steps;
  }
}
