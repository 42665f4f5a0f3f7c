package dev.bertforge.trainer.data;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardSetTest {
  @TempDir Path tmp;

  @Test
  void globsDirectoriesAndListsResolveToTheManifestShards() throws IOException {
    Path plain = ShardFixtures.folder("plain");
    ShardSet byGlob = ShardSet.open(plain + "/tokens-*.tfrecord");
    assertEquals(2, byGlob.shards().size());
    assertEquals(21, byGlob.rows());
    assertEquals(1000, byGlob.manifest().vocabSize());
    assertEquals(4, byGlob.manifest().specialTokenIds().mask());

    assertEquals(byGlob.shards(), ShardSet.open(plain.toString()).shards());
    ShardSet one = ShardSet.open(plain + "/tokens-00001-of-00002.tfrecord");
    assertEquals(9, one.rows());
    ShardSet both = ShardSet.open(plain + "/tokens-00001-*," + ShardFixtures.folder("gzip") + "/*.gz");
    assertEquals(3, both.shards().size());
    assertEquals(ShardSet.open(ShardFixtures.folder("gzip").getParent() + "/**/tokens-00000-*").shards().size(), 2);
  }

  @Test
  void aGlobThatMatchesNothingNamesItself() {
    IOException e = assertThrows(IOException.class, () -> ShardSet.open(tmp + "/nothing-*.tfrecord"));
    assertThat(e.getMessage(), containsString("no shard file matches '" + tmp + "/nothing-*.tfrecord'"));
  }

  @Test
  void shardsNeedAManifestThatListsThem() throws IOException {
    Path folder = ShardFixtures.copyOfPlain(tmp);
    Files.copy(folder.resolve("tokens-00000-of-00002.tfrecord"), folder.resolve("tokens-stray.tfrecord"));
    IOException unlisted = assertThrows(IOException.class, () -> ShardSet.open(folder.toString()));
    assertThat(unlisted.getMessage(), containsString("does not list the shard tokens-stray.tfrecord"));

    Files.delete(folder.resolve(ShardManifest.FILE_NAME));
    IOException missing = assertThrows(IOException.class, () -> ShardSet.open(folder.toString()));
    assertThat(missing.getMessage(), containsString("no manifest.json beside the shards"));
  }

  @Test
  void shardsFromTwoTokenizersAreRefused() throws IOException {
    Path folder = ShardFixtures.copyOfPlain(tmp);
    Path manifest = folder.resolve(ShardManifest.FILE_NAME);
    Files.writeString(manifest, Files.readString(manifest).replace("\"vocab_size\": 1000", "\"vocab_size\": 1024"));
    IOException e = assertThrows(IOException.class,
        () -> ShardSet.open(folder + "," + ShardFixtures.folder("gzip")));
    assertThat(e.getMessage(), containsString("come from different tokenizers"));
    // Which manifest is named first depends on how the two folders' paths sort.
    assertThat(e.getMessage(), anyOf(containsString("vocab size (1024 vs 1000)"),
        containsString("vocab size (1000 vs 1024)")));
  }
}
