package dev.bertforge.transforms.dedup;

import static dev.bertforge.transforms.dedup.DedupTransformsTest.asKvs;
import static dev.bertforge.transforms.dedup.DedupTransformsTest.counter;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.bertforge.options.Verification;
import dev.bertforge.transforms.io.Document;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** Dedup on fingerprints against the brute-force references of {@link DedupTransformsTest}. */
class FingerprintDedupTest {

  /** Exact and near clusters merged as DuplicateClusters does: exact members follow their representative. */
  static Map<String, String> merged(Map<String, String> exact, Map<String, String> near) {
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, String> e : exact.entrySet()) {
      out.put(e.getKey(), near.getOrDefault(e.getValue(), e.getValue()));
    }
    near.forEach(out::putIfAbsent);
    return out;
  }

  @Test
  void keepsWhatExactThenNearKeepAndMergesTheirClustersForEveryVerification() {
    for (Verification verification : Verification.values()) {
      for (long perShard : new long[] {5_000, 7}) {
        run(NearDuplicates.create().withVerification(verification).withDocumentsPerShard(perShard));
      }
    }
  }

  @Test
  void keptDocumentsAreTheDocumentsWithTheKeptIdsTextsAndRecordsIncluded() {
    NearDuplicates near = NearDuplicates.create().withDocumentsPerShard(9);
    List<Document> documents = DedupTransformsTest.corpus();
    Map<String, String> exact = DedupTransformsTest.exactClusters(documents);
    List<Document> afterExact = DedupTransformsTest.keptAfter(documents, exact);
    List<Document> expected =
        DedupTransformsTest.keptAfter(afterExact, DedupTransformsTest.nearClusters(afterExact, 0.7));

    TestPipeline pipeline = TestUtil.pipeline();
    PCollection<Document> input = pipeline.apply(Create.of(documents).withCoder(Document.DocumentCoder.of()));
    DedupResult<Fingerprint> result = input.apply(Fingerprints.of(near)).apply(FingerprintDedup.with(near));
    PAssert.that(input.apply(KeptDocuments.of(result.kept(), near.documentsPerShard()))).containsInAnyOrder(expected);
    pipeline.run().waitUntilFinish();
  }

  private void run(NearDuplicates near) {
    List<Document> documents = DedupTransformsTest.corpus();
    Map<String, String> exact = DedupTransformsTest.exactClusters(documents);
    List<Document> afterExact = DedupTransformsTest.keptAfter(documents, exact);
    Map<String, String> nearExpected = DedupTransformsTest.nearClusters(afterExact, 0.7);
    List<String> keptIds = new ArrayList<>();
    DedupTransformsTest.keptAfter(afterExact, nearExpected).forEach(d -> keptIds.add(d.id()));

    TestPipeline pipeline = TestUtil.pipeline();
    DedupResult<Fingerprint> result =
        pipeline
            .apply(Create.of(documents).withCoder(Document.DocumentCoder.of()))
            .apply(Fingerprints.of(near))
            .apply(FingerprintDedup.with(near));
    PCollection<String> kept =
        result.kept().apply(MapElements.into(TypeDescriptors.strings()).via(Fingerprint::id));
    PAssert.that(kept).containsInAnyOrder(keptIds);
    PAssert.that(result.clusters()).containsInAnyOrder(asKvs(merged(exact, nearExpected)));
    PipelineResult run = pipeline.run();
    run.waitUntilFinish();

    long withoutTokens = afterExact.stream().filter(d -> new Shingler(5).hashes(d.text()).length == 0).count();
    assertThat(counter(run, ExactDuplicates.class, ExactDuplicates.DOCUMENTS), equalTo((long) documents.size()));
    assertThat(counter(run, ExactDuplicates.class, ExactDuplicates.REMOVED),
        equalTo((long) (documents.size() - afterExact.size())));
    assertThat(counter(run, NearDuplicates.class, NearDuplicates.DOCUMENTS), equalTo((long) afterExact.size()));
    assertThat(counter(run, NearDuplicates.class, NearDuplicates.WITHOUT_TOKENS), equalTo(withoutTokens));
    assertThat(counter(run, NearDuplicates.class, NearDuplicates.REMOVED),
        equalTo((long) (afterExact.size() - keptIds.size())));
    assertThat(counter(run, NearDuplicates.class, NearDuplicates.CLUSTERS),
        equalTo(nearExpected.entrySet().stream().filter(e -> e.getKey().equals(e.getValue())).count()));
  }

  @Test
  void aFingerprintSurvivesItsCoder() throws Exception {
    Fingerprint full = new Fingerprint("id\u00e9", "/in/a.jsonl", 12345L, -1L, 7L, new byte[] {1, 2, 3},
        Fingerprints.encode(new long[] {-5, 0, 9}));
    Fingerprint bare = new Fingerprint("x", null, -1L, 0L, 0L, null, null);
    for (Fingerprint f : List.of(full, bare, full.withoutSketches())) {
      assertThat(org.apache.beam.sdk.util.CoderUtils.clone(Fingerprint.FingerprintCoder.of(), f), equalTo(f));
    }
    assertThat(Fingerprints.decode(full.shingleSet()), equalTo(new long[] {-5, 0, 9}));
  }
}
