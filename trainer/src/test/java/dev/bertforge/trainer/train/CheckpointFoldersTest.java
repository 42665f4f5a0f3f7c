package dev.bertforge.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bertforge.trainer.data.DataPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFoldersTest {
  @TempDir Path tmp;

  @Test
  void keepsTheLastKAndResolvesTheLatest() throws IOException {
    CheckpointFolders folders = new CheckpointFolders(tmp.resolve("stage"), 2);
    for (long step : new long[] {10, 20, 30}) {
      folders.save(step, dir -> state(step).write(dir));
    }
    assertEquals(2, folders.list().size());
    assertEquals("step-00000030", folders.latest().orElseThrow().getFileName().toString());
    assertFalse(Files.exists(tmp.resolve("stage/step-00000010")));
    assertEquals(30, TrainingState.read(CheckpointFolders.resolve(tmp.resolve("stage")).orElseThrow()).step());
    Path one = tmp.resolve("stage/step-00000020");
    assertEquals(one, CheckpointFolders.resolve(one).orElseThrow());
    assertEquals(new DataPosition(1, 2, 3, 0), TrainingState.read(one).dataPosition());
  }

  @Test
  void aWriterThatFailsLeavesNoCheckpointBehind() throws IOException {
    CheckpointFolders folders = new CheckpointFolders(tmp.resolve("stage"), 3);
    folders.save(1, dir -> state(1).write(dir));
    assertThrows(IOException.class, () -> folders.save(2, dir -> {
      state(2).write(dir);
      throw new IOException("disk full");
    }));
    assertEquals(1, folders.list().size(), "the half-written step 2 must not count as a checkpoint");
    assertEquals(1, TrainingState.read(folders.latest().orElseThrow()).step());
    folders.save(2, dir -> state(2).write(dir));
    assertTrue(Files.isDirectory(tmp.resolve("stage/step-00000002")));
  }

  private static TrainingState state(long step) {
    return new TrainingState("pretrain", step, step * 100, new DataPosition(1, 2, 3, 0), 17, "stable_adamw", step,
        1e-3, 1e-3, 5.0, "abc", 1000, 1.5);
  }
}
