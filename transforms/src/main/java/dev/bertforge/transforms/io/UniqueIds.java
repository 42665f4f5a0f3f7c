package dev.bertforge.transforms.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Fails the run on the first id that two documents share, naming both places: {@code (id, place)} pairs are
 * combined per id keeping only the two smallest places, so memory stays small and the message is deterministic.
 */
final class UniqueIds extends PTransform<PCollection<KV<String, String>>, PCollection<Void>> {

  @Override
  public PCollection<Void> expand(PCollection<KV<String, String>> idPlaces) {
    return idPlaces
        .apply("TwoPlacesPerId", Combine.perKey(new FirstTwoPlaces()))
        .apply("FailOnDuplicate", ParDo.of(new FailOnDuplicateFn()));
  }

  /** Keeps the two smallest places of an id. */
  static final class FirstTwoPlaces extends Combine.CombineFn<String, List<String>, List<String>> {
    @Override
    public List<String> createAccumulator() {
      return new ArrayList<>(2);
    }

    @Override
    public List<String> addInput(List<String> places, String place) {
      places.add(place);
      return smallestTwo(places);
    }

    @Override
    public List<String> mergeAccumulators(Iterable<List<String>> accumulators) {
      List<String> places = new ArrayList<>();
      for (List<String> some : accumulators) {
        places.addAll(some);
        places = smallestTwo(places);
      }
      return places;
    }

    @Override
    public List<String> extractOutput(List<String> places) {
      return places;
    }

    @Override
    public Coder<List<String>> getAccumulatorCoder(CoderRegistry registry, Coder<String> inputCoder) {
      return ListCoder.of(StringUtf8Coder.of());
    }

    private static List<String> smallestTwo(List<String> places) {
      if (places.size() <= 2) {
        Collections.sort(places);
        return places;
      }
      Collections.sort(places);
      return new ArrayList<>(places.subList(0, 2));
    }
  }

  static final class FailOnDuplicateFn extends DoFn<KV<String, List<String>>, Void> {
    @ProcessElement
    public void process(@Element KV<String, List<String>> idPlaces) {
      List<String> places = idPlaces.getValue();
      if (places.size() > 1) {
        throw new BadInputException(
            "duplicate id \"" + idPlaces.getKey() + "\" at " + places.get(0) + " and " + places.get(1)
                + " (--idField values must be unique)");
      }
    }
  }
}
