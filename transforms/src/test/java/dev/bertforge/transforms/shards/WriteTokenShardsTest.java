package dev.bertforge.transforms.shards;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.options.ShardCompression;
import dev.bertforge.options.ShardMode;
import dev.bertforge.transforms.io.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteTokenShardsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX = 64;

  @TempDir Path temp;

  @Test
  void packLosesAndDoublesNoTokenAndFillsRows() throws Exception {
    Path out = write(ShardMode.PACK, 3, ShardCompression.NONE, 0.2, Fixtures.documents(), 1 << 20);
    ShardSet train = ShardSet.read(out);
    ShardSet validation = ShardSet.read(out.resolve("validation"));
    assertThat(train.manifest.get("split").asText(), equalTo("train"));
    assertThat(validation.manifest.get("split").asText(), equalTo("validation"));
    assertThat(train.manifest.get("totals").get("shards").asInt(), equalTo(3));
    assertThat(validation.segments.size(), greaterThan(0));
    assertThat(train.rows.stream().filter(r -> r.get("doc_lengths").length > 1).count(), greaterThan(0L));

    // every window of every tokenized document is in exactly one row, of one of the two sets
    assertThat(sorted(concat(train.segments, validation.segments)), equalTo(sorted(expectedWindows())));
    // a document is held out whole: its windows are all in the same set
    for (List<Long> first : firstWindows()) {
      boolean held = validation.segments.contains(first);
      for (List<Long> window : windowsOf(first)) {
        assertThat(validation.segments.contains(window), equalTo(held));
      }
    }
    assertThat(train.manifest.get("totals").get("fill_ratio").asDouble(), greaterThan(0.9));
    assertThat(train.manifest.get("totals").get("documents").asLong()
        + validation.manifest.get("totals").get("documents").asLong(), equalTo(38L));
    assertThat(train.manifest.get("rejected_documents").get("blank").asLong(), equalTo(2L));
  }

  @Test
  void splitWritesOneWindowPerRow() throws Exception {
    Path out = write(ShardMode.SPLIT, 2, ShardCompression.NONE, 0, Fixtures.documents(), 1 << 20);
    ShardSet train = ShardSet.read(out);
    assertThat(Files.exists(out.resolve("validation")), equalTo(false));
    assertThat(train.rows.stream().allMatch(r -> r.get("doc_lengths").length == 1), equalTo(true));
    assertThat(sorted(train.segments), equalTo(sorted(expectedWindows())));
    long split = Fixtures.encodings().values().stream().filter(ids -> ids.length > MAX).count();
    assertThat(train.manifest.get("totals").get("documents_split").asLong(), equalTo(split));
  }

  @Test
  void truncateKeepsTheFirstTokensAndCountsTheRest() throws Exception {
    Path out = write(ShardMode.TRUNCATE, 1, ShardCompression.GZIP, 0, Fixtures.documents(), 1 << 20);
    ShardSet train = ShardSet.read(out);
    List<List<Long>> expected = new ArrayList<>();
    long lost = 0;
    for (int[] ids : tokenizedEncodings()) {
      List<Long> head = new ArrayList<>();
      for (int i = 0; i < Math.min(ids.length, MAX) - 1; i++) {
        head.add((long) ids[i]);
      }
      head.add((long) ids[ids.length - 1]); // [SEP] closes a truncated document, as in Hugging Face truncation
      expected.add(head);
      lost += Math.max(0, ids.length - MAX);
    }
    assertThat(sorted(train.segments), equalTo(sorted(expected)));
    assertThat(train.manifest.get("totals").get("tokens_truncated").asLong(), equalTo(lost));
    assertThat(train.manifest.get("compression").asText(), equalTo("gzip"));
    assertThat(train.files.get(0).getFileName().toString(), equalTo("tokens-00000-of-00001.tfrecord.gz"));
  }

  @Test
  void sameBytesWhateverTheInputOrderAndBatching() throws Exception {
    List<Document> reversed = new ArrayList<>(Fixtures.documents());
    Collections.reverse(reversed);
    Path a = write(ShardMode.PACK, 3, ShardCompression.NONE, 0.2, Fixtures.documents(), 1 << 20);
    Path b = write(ShardMode.PACK, 3, ShardCompression.NONE, 0.2, reversed, 200);
    assertThat(contents(b), equalTo(contents(a)));
  }

  @Test
  void theCommittedShardSetsAreWhatTheWriterWrites() throws Exception {
    // pack-64/ and pack-64-gzip/ serve readers' tests; make_shard_fixtures.sh writes them with ./bertforge pretokenize
    List<Document> read = new ArrayList<>(Fixtures.documents());
    read.removeIf(d -> d.text().isBlank()); // ReadDocuments counts blank records and passes them on no further
    for (ShardCompression compression : ShardCompression.values()) {
      Path out = write(ShardMode.PACK, 2, compression, 0.1, read, 1 << 20);
      String name = compression == ShardCompression.GZIP ? "pack-64-gzip" : "pack-64";
      Map<String, String> written = contents(out);
      written.keySet().removeIf(f -> f.startsWith("rejected"));
      assertThat(name + " is stale: run make_shard_fixtures.sh", written,
          equalTo(contents(Fixtures.directory().resolve(name))));
    }
  }

  @Test
  void writesEveryShardEvenWhenNoDocumentGoesThere() throws Exception {
    Path out = write(ShardMode.PACK, 50, ShardCompression.NONE, 0, Fixtures.documents(), 1 << 20);
    ShardSet train = ShardSet.read(out);
    assertThat(train.files.size(), equalTo(50));
    assertThat(train.manifest.get("shards").size(), equalTo(50));
    assertThat(train.files.stream().filter(f -> size(f) == 0).count(), greaterThan(0L));
  }

  @Test
  void automaticShardCountIsOneForASmallCorpus() throws Exception {
    Path out = write(ShardMode.PACK, 0, ShardCompression.NONE, 0.5, Fixtures.documents(), 1 << 20);
    assertThat(ShardSet.read(out).files.size(), equalTo(1));
    assertThat(ShardSet.read(out.resolve("validation")).files.size(), equalTo(1));
  }

  private Path write(ShardMode mode, int numShards, ShardCompression compression, double validation,
      List<Document> documents, int batchChars) {
    Path out = temp.resolve(mode + "-" + numShards + "-" + compression + "-" + validation + "-" + batchChars);
    TestPipeline p = Fixtures.pipeline();
    PCollectionTuple tokens = p.apply(Create.of(documents))
        .apply(Pretokenize.withTokenizer(Fixtures.tokenizer()).withBatchChars(batchChars));
    tokens.get(Pretokenize.TOKENIZED).apply(WriteTokenShards.to(out.toString())
        .withTokenizer(Fixtures.tokenizer())
        .withMode(mode)
        .withMaxSeqLen(MAX)
        .withNumShards(numShards)
        .withCompression(compression)
        .withValidationFraction(validation)
        .withRejected(tokens.get(Pretokenize.REJECTED)));
    p.run().waitUntilFinish();
    return out;
  }

  /** A directory's shards and manifest, checked for consistency as they are read. */
  static final class ShardSet {
    JsonNode manifest;
    List<Path> files = new ArrayList<>();
    List<Map<String, long[]>> rows = new ArrayList<>();
    /** Each document segment of each row, as its tokens. */
    List<List<Long>> segments = new ArrayList<>();

    static ShardSet read(Path directory) throws IOException {
      ShardSet set = new ShardSet();
      set.manifest = JSON.readTree(directory.resolve("manifest.json").toFile());
      assertThat(set.manifest.get("format_version").asInt(), equalTo(1));
      assertThat(set.manifest.get("tokenizer_sha256").asText(), equalTo(Fixtures.sha256OfTokenizer()));
      assertThat(set.manifest.get("vocab_size").asInt(), equalTo(400));
      assertThat(set.manifest.get("special_ids").toString(),
          equalTo("{\"cls\":1,\"sep\":2,\"unk\":0,\"pad\":3,\"mask\":4}"));
      assertThat(set.manifest.get("max_seq_len").asInt(), equalTo(MAX));
      long rows = 0, tokens = 0, documents = 0;
      for (JsonNode line : set.manifest.get("shards")) {
        Path file = directory.resolve(line.get("file").asText());
        set.files.add(file);
        List<Map<String, long[]>> shardRows = TokenShardReader.read(file);
        long shardTokens = 0, shardDocs = 0;
        for (Map<String, long[]> row : shardRows) {
          long[] ids = row.get("input_ids");
          long[] lengths = row.get("doc_lengths");
          assertThat(ids.length, lessThanOrEqualTo(MAX));
          assertThat(Arrays.stream(lengths).sum(), equalTo((long) ids.length));
          int at = 0;
          for (long length : lengths) {
            List<Long> segment = new ArrayList<>();
            for (int i = 0; i < length; i++) {
              segment.add(ids[at + i]);
            }
            assertThat(segment.get(0), equalTo(1L));
            assertThat(segment.get(segment.size() - 1), equalTo(2L));
            set.segments.add(segment);
            at += (int) length;
          }
          shardTokens += ids.length;
        }
        assertThat(line.get("rows").asLong(), equalTo((long) shardRows.size()));
        assertThat(line.get("tokens").asLong(), equalTo(shardTokens));
        assertThat(line.get("bytes").asLong(), equalTo(size(file)));
        rows += shardRows.size();
        tokens += shardTokens;
        documents += line.get("documents").asLong();
        set.rows.addAll(shardRows);
      }
      JsonNode totals = set.manifest.get("totals");
      assertThat(totals.get("rows").asLong(), equalTo(rows));
      assertThat(totals.get("tokens").asLong(), equalTo(tokens));
      assertThat(totals.get("documents").asLong(), equalTo(documents));
      try (Stream<Path> listed = Files.list(directory)) {
        assertThat(listed.filter(f -> f.getFileName().toString().startsWith(".")).count(), equalTo(0L));
      }
      return set;
    }
  }

  private static List<int[]> tokenizedEncodings() {
    List<int[]> encodings = new ArrayList<>(Fixtures.encodings().values());
    encodings.removeIf(ids -> ids.length <= 6); // the blank documents doc-038 and doc-039
    return encodings;
  }

  /** The windows of every tokenized document, cut here independently of Segment: 62 content tokens each. */
  private static List<List<Long>> expectedWindows() {
    List<List<Long>> windows = new ArrayList<>();
    for (int[] ids : tokenizedEncodings()) {
      windows.addAll(windows(ids));
    }
    return windows;
  }

  private static List<List<Long>> windows(int[] ids) {
    List<List<Long>> windows = new ArrayList<>();
    for (int from = 1; from < ids.length - 1; from += MAX - 2) {
      List<Long> w = new ArrayList<>();
      w.add((long) ids[0]);
      for (int i = from; i < Math.min(ids.length - 1, from + MAX - 2); i++) {
        w.add((long) ids[i]);
      }
      w.add((long) ids[ids.length - 1]);
      windows.add(w);
    }
    return windows;
  }

  private static List<List<Long>> firstWindows() {
    return tokenizedEncodings().stream().map(ids -> windows(ids).get(0)).toList();
  }

  private static List<List<Long>> windowsOf(List<Long> firstWindow) {
    for (int[] ids : tokenizedEncodings()) {
      if (windows(ids).get(0).equals(firstWindow)) {
        return windows(ids);
      }
    }
    throw new AssertionError("no document starts with " + firstWindow);
  }

  private static List<List<Long>> concat(List<List<Long>> a, List<List<Long>> b) {
    List<List<Long>> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static List<String> sorted(List<List<Long>> segments) {
    return segments.stream().map(Object::toString).sorted().toList();
  }

  private static Map<String, String> contents(Path directory) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(directory)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        files.put(directory.relativize(f).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(f)));
      }
    }
    return files;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

}
