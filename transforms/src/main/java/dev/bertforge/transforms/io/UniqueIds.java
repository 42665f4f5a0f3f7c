package dev.bertforge.transforms.io;

import dev.bertforge.transforms.group.Shards;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Fails the run on the first id that two documents share, naming both places. The {@code (id, place)} pairs are
 * grouped by shard of the id ({@link Shards}, about {@value #IDS_PER_SHARD} ids per shard, looked up in memory):
 * a grouping per id would cost the Direct runner a bundle per document. Within a shard the reported id is the
 * smallest duplicated one, with its two smallest places, so the message does not depend on arrival order.
 */
final class UniqueIds extends PTransform<PCollection<KV<String, String>>, PCollection<Void>> {
  static final long IDS_PER_SHARD = 200_000;

  @Override
  public PCollection<Void> expand(PCollection<KV<String, String>> idPlaces) {
    PCollectionView<Long> count =
        idPlaces.apply("Count ids", Count.globally()).apply("Id count", View.asSingleton());
    return idPlaces
        .apply("Shard ids", Shards.byKey(KV::getKey, count, IDS_PER_SHARD))
        .apply("Group shards", Shards.group())
        .apply("FailOnDuplicate", ParDo.of(new FailOnDuplicateFn()));
  }

  static final class FailOnDuplicateFn extends DoFn<KV<Integer, Iterable<KV<String, String>>>, Void> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, String>>> shard) {
      Map<String, String> firstPlace = new HashMap<>();
      Map<String, List<String>> duplicated = new HashMap<>();
      for (KV<String, String> idPlace : shard.getValue()) {
        String earlier = firstPlace.putIfAbsent(idPlace.getKey(), idPlace.getValue());
        if (earlier != null) {
          duplicated.computeIfAbsent(idPlace.getKey(), id -> new ArrayList<>(List.of(earlier)))
              .add(idPlace.getValue());
        }
      }
      if (duplicated.isEmpty()) {
        return;
      }
      String id = duplicated.keySet().stream().min(String::compareTo).get();
      List<String> places = duplicated.get(id);
      places.sort(null);
      throw new BadInputException("duplicate id \"" + id + "\" at " + places.get(0) + " and " + places.get(1)
          + " (--idField values must be unique)");
    }
  }
}
