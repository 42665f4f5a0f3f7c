package dev.bertforge.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.options.ShardCompression;
import dev.bertforge.options.ShardMode;
import dev.bertforge.trainer.data.ExampleDecoder;
import dev.bertforge.trainer.data.ShardSet;
import dev.bertforge.trainer.data.TfRecordReader;
import dev.bertforge.trainer.data.TokenRow;
import dev.bertforge.transforms.io.Document;
import dev.bertforge.transforms.shards.Pretokenize;
import dev.bertforge.transforms.shards.WriteTokenShards;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token-shard format is the one contract between the Beam side and the trainer: shards written by {@link
 * WriteTokenShards} (pack mode, gzip, a validation split) are read by the trainer's own reader, and across rows they
 * hold exactly Hugging Face tokenizers' encoding of every document (the fixture's ids, made by HF).
 */
class TokenShardContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path FIXTURES =
      Path.of("../transforms/src/test/resources/shards").toAbsolutePath().normalize();
  private static final int MAX_SEQ_LEN = 64;

  @TempDir Path temp;

  @Test
  void theTrainerReadsWhatThePipelineWrites() throws Exception {
    List<Document> documents = new ArrayList<>();
    for (String line : Files.readAllLines(FIXTURES.resolve("docs.jsonl"))) {
      JsonNode record = JSON.readTree(line);
      documents.add(Document.of(record.get("id").asText(), record.get("text").asText()));
    }
    String tokenizer = FIXTURES.resolve("tokenizer").toString();
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    PCollectionTuple tokens = pipeline.apply(Create.of(documents)).apply(Pretokenize.withTokenizer(tokenizer));
    tokens.get(Pretokenize.TOKENIZED).apply(WriteTokenShards.to(temp.toString())
        .withTokenizer(tokenizer)
        .withMode(ShardMode.PACK)
        .withMaxSeqLen(MAX_SEQ_LEN)
        .withNumShards(2)
        .withCompression(ShardCompression.GZIP)
        .withValidationFraction(0.2)
        .withRejected(tokens.get(Pretokenize.REJECTED)));
    pipeline.run().waitUntilFinish();

    ShardSet train = ShardSet.open(temp + "/tokens-*.tfrecord.gz");
    ShardSet validation = ShardSet.open(temp.resolve("validation").toString());
    assertThat(ShardSet.tokenizerDifference(train.manifest(), validation.manifest()), nullValue());
    assertThat(train.manifest().specialTokenIds().mask(), equalTo(4));
    assertThat(train.shards().size(), equalTo(2));
    List<String> segments = new ArrayList<>();
    for (ShardSet set : List.of(train, validation)) {
      for (ShardSet.Shard shard : set.shards()) {
        long rows = 0, tokenCount = 0;
        try (TfRecordReader reader = new TfRecordReader(shard.path())) {
          for (byte[] record = reader.next(); record != null; record = reader.next()) {
            TokenRow row = ExampleDecoder.decode(record);
            assertThat(row.length() <= MAX_SEQ_LEN, equalTo(true));
            int from = 0;
            for (int length : row.docLengths()) {
              segments.add(Arrays.toString(Arrays.copyOfRange(row.inputIds(), from, from + length)));
              from += length;
            }
            rows++;
            tokenCount += row.length();
          }
        }
        assertThat(List.of(rows, tokenCount), equalTo(List.of(shard.rows(), shard.tokens())));
      }
    }
    assertThat(segments.stream().sorted().toList(), equalTo(huggingFaceWindows(documents)));
  }

  /**
   * HF's ids of every document that is not blank (Pretokenize rejects those, though HF would encode whitespace), cut
   * into [CLS] … [SEP] windows of at most MAX_SEQ_LEN.
   */
  private static List<String> huggingFaceWindows(List<Document> documents) throws Exception {
    Set<String> blank = documents.stream().filter(d -> d.text().isBlank()).map(Document::id).collect(Collectors.toSet());
    List<String> windows = new ArrayList<>();
    for (String line : Files.readAllLines(FIXTURES.resolve("encodings.jsonl"))) {
      JsonNode encoding = JSON.readTree(line);
      if (blank.contains(encoding.get("id").asText())) {
        continue;
      }
      JsonNode ids = encoding.get("ids");
      int[] all = new int[ids.size()];
      Arrays.setAll(all, i -> ids.get(i).asInt());
      int content = MAX_SEQ_LEN - 2;
      for (int from = 1; from < all.length - 1; from += content) {
        int to = Math.min(all.length - 1, from + content);
        int[] window = new int[to - from + 2];
        window[0] = all[0];
        System.arraycopy(all, from, window, 1, to - from);
        window[window.length - 1] = all[all.length - 1];
        windows.add(Arrays.toString(window));
      }
    }
    return windows.stream().sorted().toList();
  }
}
