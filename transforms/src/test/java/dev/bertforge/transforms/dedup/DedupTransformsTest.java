package dev.bertforge.transforms.dedup;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.bertforge.options.Verification;
import dev.bertforge.transforms.io.Document;
import dev.bertforge.transforms.io.MetricTotals;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** ExactDuplicates and NearDuplicates end to end on the Direct runner, against brute-force references. */
class DedupTransformsTest {

  /** Unrelated base texts, near-duplicate edits of some, exact (whitespace/NFC) copies, texts without tokens. */
  static List<Document> corpus() {
    SplittableRandom random = new SplittableRandom(5);
    List<String> texts = new ArrayList<>();
    for (int base = 0; base < 40; base++) {
      List<String> words = new ArrayList<>();
      for (int w = 0; w < 300; w++) {
        words.add("w" + random.nextInt(3000));
      }
      texts.add(String.join(" ", words));
      if (base < 15) {
        for (int variant = 0; variant < 1 + base % 3; variant++) {
          List<String> edited = new ArrayList<>(words);
          for (int e = 0; e <= variant; e++) {
            edited.set(random.nextInt(edited.size()), "edit" + random.nextInt(1000));
          }
          texts.add(String.join(" ", edited));
        }
      }
      if (base >= 10 && base < 16) {
        texts.add("  " + String.join("\n\t", words) + " \u00a0");
      }
    }
    texts.add("Caf\u00e9 au lait " + texts.get(0));
    texts.add("Cafe\u0301 au lait " + texts.get(0)); // the same text once NFC-normalized
    texts.add("--- ;;; ***");
    texts.add("---   ;;; ***");
    texts.add("! ? .");
    // Ids in an order unrelated to the text order, so the kept document is not simply the first.
    List<Document> documents = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String id = String.format("d%04d", (i * 7919) % 10007);
      byte[] record = ("{\"id\":\"" + id + "\",\"extra\":" + i + "}").getBytes(StandardCharsets.UTF_8);
      documents.add(Document.of(id, texts.get(i), record));
    }
    return documents;
  }

  /** Brute-force exact groups: member id -> smallest id of its normalized text, for groups of two or more. */
  static Map<String, String> exactClusters(List<Document> documents) {
    Map<String, List<String>> byText = new HashMap<>();
    for (Document d : documents) {
      byText.computeIfAbsent(ExactText.normalize(d.text()), t -> new ArrayList<>()).add(d.id());
    }
    Map<String, String> out = new HashMap<>();
    for (List<String> ids : byText.values()) {
      if (ids.size() > 1) {
        String min = ids.stream().min(String::compareTo).get();
        ids.forEach(id -> out.put(id, min));
      }
    }
    return out;
  }

  /** Brute-force near clusters: union-find over all pairs with exact Jaccard of string shingles >= threshold. */
  static Map<String, String> nearClusters(List<Document> documents, double threshold) {
    Shingler shingler = new Shingler(5);
    List<Set<String>> sets = new ArrayList<>();
    for (Document d : documents) {
      sets.add(new HashSet<>(shingler.shingles(d.text())));
    }
    UnionFind unionFind = new UnionFind();
    for (int i = 0; i < documents.size(); i++) {
      for (int j = i + 1; j < documents.size(); j++) {
        Set<String> a = sets.get(i);
        Set<String> b = sets.get(j);
        if (a.isEmpty() || b.isEmpty()) {
          continue;
        }
        Set<String> common = new HashSet<>(a);
        common.retainAll(b);
        if ((double) common.size() / (a.size() + b.size() - common.size()) >= threshold) {
          unionFind.union(documents.get(i).id(), documents.get(j).id());
        }
      }
    }
    return unionFind.components();
  }

  static List<KV<String, String>> asKvs(Map<String, String> map) {
    List<KV<String, String>> out = new ArrayList<>();
    map.forEach((k, v) -> out.add(KV.of(k, v)));
    return out;
  }

  static long counter(PipelineResult result, Class<?> namespace, String name) {
    return MetricTotals.counter(result, MetricName.named(namespace, name));
  }


  @Test
  void theCorpusHasWhatTheTestsNeed() {
    List<Document> documents = corpus();
    Map<String, String> exact = exactClusters(documents);
    List<Document> afterExact = keptAfter(documents, exact);
    Map<String, String> near = nearClusters(afterExact, 0.7);
    assertThat(exact.size(), greaterThan(10));
    assertThat(near.size(), greaterThan(30));
  }

  static List<Document> keptAfter(List<Document> documents, Map<String, String> clusters) {
    List<Document> kept = new ArrayList<>();
    for (Document d : documents) {
      if (clusters.getOrDefault(d.id(), d.id()).equals(d.id())) {
        kept.add(d);
      }
    }
    return kept;
  }

  @Test
  void exactThenNearKeepTheSmallestIdsWithAllFieldsAndCountsAddUp() {
    for (Verification verification : Verification.values()) {
      for (long perShard : new long[] {5_000, 7}) {
        runExactThenNear(NearDuplicates.create().withVerification(verification).withDocumentsPerShard(perShard),
            perShard);
      }
    }
  }

  private void runExactThenNear(NearDuplicates near, long perShard) {
    List<Document> documents = corpus();
    Map<String, String> exact = exactClusters(documents);
    List<Document> afterExact = keptAfter(documents, exact);
    Map<String, String> nearExpected = nearClusters(afterExact, 0.7);
    List<Document> afterNear = keptAfter(afterExact, nearExpected);

    TestPipeline pipeline = TestUtil.pipeline();
    PCollection<Document> input = pipeline.apply(Create.of(documents).withCoder(Document.DocumentCoder.of()));
    DedupResult<Document> exactResult = input.apply(ExactDuplicates.create().withDocumentsPerShard(perShard));
    DedupResult<Document> nearResult = exactResult.kept().apply(near);
    PAssert.that(exactResult.clusters()).containsInAnyOrder(asKvs(exact));
    PAssert.that(nearResult.clusters()).containsInAnyOrder(asKvs(nearExpected));
    // Document equality includes the original record bytes: every field survives.
    PAssert.that(nearResult.kept()).containsInAnyOrder(afterNear);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    long withoutTokens = afterExact.stream().filter(d -> new Shingler(5).hashes(d.text()).length == 0).count();
    assertThat(counter(result, ExactDuplicates.class, ExactDuplicates.DOCUMENTS), equalTo((long) documents.size()));
    assertThat(counter(result, ExactDuplicates.class, ExactDuplicates.REMOVED),
        equalTo((long) (documents.size() - afterExact.size())));
    assertThat(counter(result, NearDuplicates.class, NearDuplicates.DOCUMENTS), equalTo((long) afterExact.size()));
    assertThat(counter(result, NearDuplicates.class, NearDuplicates.WITHOUT_TOKENS), equalTo(withoutTokens));
    assertThat(counter(result, NearDuplicates.class, NearDuplicates.REMOVED),
        equalTo((long) (afterExact.size() - afterNear.size())));
    assertThat(counter(result, NearDuplicates.class, NearDuplicates.CLUSTERS),
        equalTo(nearExpected.entrySet().stream().filter(e -> e.getKey().equals(e.getValue())).count()));
    assertThat(counter(result, NearDuplicates.class, NearDuplicates.VERIFIED_PAIRS)
            + counter(result, NearDuplicates.class, NearDuplicates.REJECTED_PAIRS),
        equalTo(counter(result, NearDuplicates.class, NearDuplicates.CANDIDATE_PAIRS)));
  }

  @Test
  void aBucketOfThousandsGivesStarPairsNotAllPairs() {
    int k = 1500;
    StringBuilder shared = new StringBuilder();
    SplittableRandom random = new SplittableRandom(9);
    for (int w = 0; w < 300; w++) {
      shared.append('w').append(random.nextInt(100000)).append(' ');
    }
    List<Document> documents = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      documents.add(Document.of(String.format("m%05d", i), shared + "unique" + i));
    }
    TestPipeline pipeline = TestUtil.pipeline();
    DedupResult<Document> result =
        pipeline.apply(Create.of(documents).withCoder(Document.DocumentCoder.of())).apply(NearDuplicates.create());
    PAssert.that(result.kept()).containsInAnyOrder(documents.get(0));
    PipelineResult run = pipeline.run();
    run.waitUntilFinish();
    long candidates = counter(run, NearDuplicates.class, NearDuplicates.CANDIDATE_PAIRS);
    assertThat(candidates, greaterThan((long) k - 2));
    assertThat(candidates, lessThanOrEqualTo((long) 25 * (k - 1)));
  }
}
