package dev.bertforge.transforms.tokenizer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.transforms.io.Document;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainTokenizerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void trainsExactlyHuggingFacesTokenizerAndReportsIt() throws IOException {
    JsonNode hf = Fixtures.json("hf-licenses.json");
    List<Document> docs = documents(Fixtures.documents("corpus-licenses.jsonl"));

    run(docs, TrainTokenizer.to(dir.toString()).withWordTableShards(4).withVocabSize(1024).withHeldOutFraction(0));

    JsonNode model = read("tokenizer.json").get("model");
    List<String> vocab = new ArrayList<>();
    model.get("vocab").fieldNames().forEachRemaining(vocab::add);
    assertThat(vocab, equalTo(Fixtures.strings(hf.get("vocab"))));
    assertThat(Fixtures.strings(model.get("merges")), equalTo(Fixtures.strings(hf.get("merges"))));
    JsonNode report = read("report.json");
    assertThat(report.get("vocab_size").asInt(), equalTo(1024));
    assertThat(report.get("merges").asInt(), equalTo(763));
    assertThat(report.get("pruning").get("pruned_words").asLong(), equalTo(0L));
    assertThat(report.get("corpus").get("word_occurrences").asLong(),
        equalTo(Fixtures.wordCounts(Fixtures.documents("corpus-licenses.jsonl")).values().stream()
            .mapToLong(Long::longValue).sum()));
    assertThat(report.get("longest_tokens").size(), equalTo(TokenizerReport.LONGEST_TOKENS));
    assertThat(report.get("held_out").get("documents").asLong(), equalTo(0L));
  }

  @Test
  void aLaterStepOfTheSamePipelineWaitsForTheTokenizerAndEncodesWithIt() {
    JsonNode hf = Fixtures.json("hf-licenses.json");
    JsonNode sample = hf.get("encodings").get(0);
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollectionView<String> tokenizer = pipeline
        .apply("Corpus", Create.of(documents(Fixtures.documents("corpus-licenses.jsonl"))))
        .apply(TrainTokenizer.to(dir.toString()).withVocabSize(1024).withHeldOutFraction(0).withWordTableShards(4))
        .apply(View.asSingleton());
    PCollection<List<Long>> ids = pipeline
        .apply("Texts", Create.of(sample.get("text").asText()))
        .apply(ParDo.of(new EncodeFn(tokenizer)).withSideInputs(tokenizer));
    List<Long> expected = new ArrayList<>();
    sample.get("ids").forEach(id -> expected.add(id.asLong()));
    PAssert.thatSingleton(ids).isEqualTo(expected);
    pipeline.run().waitUntilFinish();
  }

  /** What pretokenize does: load the tokenizer from the directory in the side input, encode with DJL. */
  private static final class EncodeFn extends DoFn<String, List<Long>> {
    private final PCollectionView<String> tokenizerDirectory;

    EncodeFn(PCollectionView<String> tokenizerDirectory) {
      this.tokenizerDirectory = tokenizerDirectory;
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      byte[] json = TokenizerJson.read(c.sideInput(tokenizerDirectory));
      try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
          new ByteArrayInputStream(json), Map.of("truncation", "false", "padding", "false"))) {
        List<Long> ids = new ArrayList<>();
        for (long id : tokenizer.encode(c.element()).getIds()) {
          ids.add(id);
        }
        c.output(ids);
      }
    }
  }

  @Test
  void prunesRareWordsAndReportsWhatWasPruned() throws IOException {
    List<String> texts = Fixtures.documents("corpus-licenses.jsonl");
    Map<String, Long> counts = Fixtures.wordCounts(texts);

    run(documents(texts), TrainTokenizer.to(dir.toString()).withWordTableShards(4).withVocabSize(512).withMinWordCount(3).withHeldOutFraction(0));

    long prunedWords = counts.values().stream().filter(c -> c < 3).count();
    long prunedBytes = counts.entrySet().stream().filter(e -> e.getValue() < 3)
        .mapToLong(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length * e.getValue()).sum();
    JsonNode pruning = read("report.json").get("pruning");
    assertThat(prunedWords, greaterThan(100L));
    assertThat(pruning.get("pruned_words").asLong(), equalTo(prunedWords));
    assertThat(pruning.get("pruned_bytes").asLong(), equalTo(prunedBytes));
    assertThat(pruning.get("kept_words").asLong(), equalTo(counts.size() - prunedWords));

    Words kept = new Words();
    counts.forEach((w, c) -> {
      if (c >= 3) {
        kept.add(w, c);
      }
    });
    assertThat(Fixtures.strings(read("tokenizer.json").get("model").get("merges")),
        equalTo(new BpeTrainer(512 - 5, 2).train(kept).mergeStrings()));
  }

  @Test
  void holdsOutDocumentsByIdHashAndTrainsOnTheRest() throws IOException {
    List<Document> docs = documents(Fixtures.documents("corpus-licenses.jsonl"));
    List<String> training = new ArrayList<>();
    long heldOut = 0;
    for (Document d : docs) {
      if (HeldOut.isHeldOut(d.id(), 0.2)) {
        heldOut++;
      } else {
        training.add(d.text());
      }
    }

    run(docs, TrainTokenizer.to(dir.toString()).withWordTableShards(4).withVocabSize(512).withHeldOutFraction(0.2));

    JsonNode report = read("report.json").get("held_out");
    assertThat(heldOut, greaterThan(20L));
    assertThat(report.get("documents").asLong(), equalTo(heldOut));
    assertThat(report.get("bytes_per_token").asDouble(), greaterThan(1.5));
    assertThat(Fixtures.strings(read("tokenizer.json").get("model").get("merges")),
        equalTo(new BpeTrainer(512 - 5, 2).train(BpeTrainerTest.words(Fixtures.wordCounts(training))).mergeStrings()));
  }

  @Test
  void adoptsABaseTokenizer() throws IOException {
    Path base = dir.resolve("base.json");
    Files.copy(getClass().getResourceAsStream("base-tokenizer.json"), base);
    Path out = dir.resolve("out");

    run(documents(List.of("some text", "more text")), TrainTokenizer.to(out.toString()).withWordTableShards(4).adopting(base.toString()));

    JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
    assertThat(report.get("mode").asText(), equalTo("adopted"));
    assertThat(report.get("changes").size(), equalTo(6));
    assertThat(TokenizerJson.idOf(JSON.readTree(out.resolve("tokenizer.json").toFile()), "[MASK]"), greaterThan(500));
  }

  @Test
  void failsClearlyOnAnEmptyCorpus() {
    Exception e = assertThrows(Exception.class,
        () -> run(documents(List.of("", "")), TrainTokenizer.to(dir.toString()).withWordTableShards(4).withVocabSize(512)));
    assertThat(rootMessage(e), containsString("the corpus is empty"));
  }

  @Test
  void rejectsAVocabTooSmallForAlphabetAndSpecialsBeforeAnyWork() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrainTokenizer.to(dir.toString()).withWordTableShards(4).withVocabSize(260));
    assertThat(e.getMessage(), containsString("--vocabSize=260 is too small"));
  }

  private void run(List<Document> docs, TrainTokenizer train) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    PCollection<String> written = pipeline.apply(Create.of(docs)).apply(train);
    PAssert.thatSingleton(written).isEqualTo(train.outputDirectory());
    pipeline.run().waitUntilFinish();
  }

  private JsonNode read(String name) throws IOException {
    return JSON.readTree(dir.resolve(name).toFile());
  }

  private static List<Document> documents(List<String> texts) {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      docs.add(Document.of("corpus.jsonl:" + (i + 1), texts.get(i)));
    }
    return docs;
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }
}
