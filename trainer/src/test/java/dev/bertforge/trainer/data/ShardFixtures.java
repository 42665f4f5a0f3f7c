package dev.bertforge.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The TensorFlow-written shards under test resources (see src/test/python/make_shard_fixtures.py). */
final class ShardFixtures {
  private ShardFixtures() {}

  static Path folder(String kind) {
    try {
      return Path.of(ShardFixtures.class.getResource("/shards/" + kind + "/manifest.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode expected() {
    try {
      return new ObjectMapper().readTree(folder("plain").resolveSibling("expected.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every row of shard {@code shard}, as TensorFlow was given it. */
  static List<TokenRow> rows(int shard) {
    List<TokenRow> rows = new ArrayList<>();
    for (JsonNode row : expected().get("shards").get(shard).get("rows")) {
      rows.add(new TokenRow(ints(row.get("input_ids")), ints(row.get("doc_lengths"))));
    }
    return rows;
  }

  static List<TokenRow> allRows() {
    List<TokenRow> rows = new ArrayList<>(rows(0));
    rows.addAll(rows(1));
    return rows;
  }

  static long offset(int shard, int record) {
    return expected().get("shards").get(shard).get("offsets").get(record).asLong();
  }

  /** A copy of the plain fixture folder to damage. */
  static Path copyOfPlain(Path tmp) throws IOException {
    Path target = tmp.resolve("plain");
    Files.createDirectories(target);
    try (var files = Files.list(folder("plain"))) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
    return target;
  }

  private static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }
}
