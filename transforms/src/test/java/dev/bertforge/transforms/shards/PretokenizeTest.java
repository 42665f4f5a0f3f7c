package dev.bertforge.transforms.shards;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.transforms.io.Document;
import dev.bertforge.transforms.tokenizer.TokenizerLocation;
import dev.bertforge.transforms.io.MetricTotals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretokenizeTest {
  @TempDir Path temp;

  @Test
  void encodesLikeHuggingFaceAndRejectsBlankDocuments() {
    List<TokenizedDocument> expected = new ArrayList<>();
    Fixtures.encodings().forEach((id, ids) -> {
      if (!id.equals("doc-038") && !id.equals("doc-039")) { // "" and " \n\t "
        expected.add(TokenizedDocument.of(id, ids));
      }
    });
    for (int batchChars : new int[] {1 << 20, 300, 1}) { // batching must not change a thing
      TestPipeline p = Fixtures.pipeline();
      PCollectionTuple out = p.apply(Create.of(Fixtures.documents()))
          .apply(Pretokenize.withTokenizer(Fixtures.tokenizer()).withBatchChars(batchChars));
      PAssert.that(out.get(Pretokenize.TOKENIZED)).containsInAnyOrder(expected);
      PAssert.that(out.get(Pretokenize.REJECTED)).containsInAnyOrder(
          RejectedDocument.of("doc-038", RejectedDocument.Reason.BLANK, ""),
          RejectedDocument.of("doc-039", RejectedDocument.Reason.BLANK, ""));
      PipelineResult result = p.run();
      result.waitUntilFinish();
      assertThat(counter(result, "documents_in"), equalTo(40L));
      assertThat(counter(result, "documents_tokenized"), equalTo(38L));
      assertThat(counter(result, "documents_rejected_blank"), equalTo(2L));
      assertThat(counter(result, "tokens"), equalTo(expected.stream().mapToLong(d -> d.ids().length).sum()));
    }
  }

  @Test
  void rejectsDocumentsTheNormalizerEmpties() throws Exception {
    // the fixture tokenizer, but its normalizer also deletes '#': "###" has no tokens left
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(TokenizerLocation.read(Fixtures.tokenizer()));
    root.set("normalizer", json.readTree("{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFC\"},"
        + "{\"type\":\"Replace\",\"pattern\":{\"String\":\"#\"},\"content\":\"\"}]}"));
    Path dir = Files.createDirectories(temp.resolve("hashless"));
    json.writeValue(dir.resolve("tokenizer.json").toFile(), root);

    TestPipeline p = Fixtures.pipeline();
    // the tokenizer location as a side input computed in the pipeline, as in `prepare`
    PCollectionView<String> location = p.apply("Location", Create.of(dir.toString())).apply(View.asSingleton());
    PCollectionTuple out = p.apply(Create.of(Document.of("a", "###"), Document.of("b", "a#b")))
        .apply(Pretokenize.withTokenizer(location));
    PAssert.that(out.get(Pretokenize.REJECTED))
        .containsInAnyOrder(RejectedDocument.of("a", RejectedDocument.Reason.NO_TOKENS, ""));
    PCollection<Integer> lengths = out.get(Pretokenize.TOKENIZED)
        .apply(MapElements.into(TypeDescriptors.integers()).via(d -> d.ids().length));
    PAssert.that(lengths).satisfies(l -> {
      assertThat(l.iterator().next() >= 3, equalTo(true));
      return null;
    });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "documents_in"), equalTo(2L));
    assertThat(counter(result, "documents_rejected_no_tokens"), equalTo(1L));
  }

  static long counter(PipelineResult result, String name) {
    return MetricTotals.counter(result, MetricName.named(Pretokenize.METRICS, name));
  }

}
