package dev.bertforge.trainer.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows drawn from several shard sets so that each source's share of the real tokens follows its weight. Each source
 * is a looping {@link ShuffledRows} of its own (its order seeded by the stage seed and its name; when it runs out it
 * starts its next, re-shuffled epoch on its own, which is how a small source is upsampled). The next row always comes
 * from the source furthest behind its share (fewest tokens per unit of weight; ties to the first listed): a smooth
 * weighted round-robin on tokens rather than a coin per row, so the realised shares equal the weights to within one
 * row at every step instead of drifting with sampling noise. Its position holds every source's position and tokens,
 * so a resumed run draws exactly what the uninterrupted run would have.
 */
public final class MixedRows implements RowStream {
  /** One source: its name, shards and weight (any positive scale; normalised here). */
  public record Source(String name, ShardSet shards, double weight) {}

  private final List<Source> sources;
  private final List<ShuffledRows> streams = new ArrayList<>();
  private final double[] shares;
  private final long[] tokens;

  /** @param start {@link DataPosition#START} or a position this mixture (same sources, same order) returned */
  public MixedRows(List<Source> sources, long seed, long windowBytes, int maxLength, int vocabSize,
      DataPosition start) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("a mixture needs at least one source");
    }
    this.sources = List.copyOf(sources);
    this.shares = new double[sources.size()];
    this.tokens = new long[sources.size()];
    double total = sources.stream().mapToDouble(Source::weight).sum();
    List<DataPosition.SourcePosition> at = startPositions(start);
    for (int i = 0; i < sources.size(); i++) {
      Source source = sources.get(i);
      if (!(source.weight() > 0)) {
        throw new IllegalArgumentException("source '" + source.name() + "' has weight " + source.weight()
            + "; weights must be positive");
      }
      shares[i] = source.weight() / total;
      DataPosition position = at == null ? DataPosition.START : at.get(i).position();
      tokens[i] = at == null ? 0 : at.get(i).tokens();
      streams.add(new ShuffledRows(source.shards(), sourceSeed(seed, source.name()), true, windowBytes, maxLength,
          vocabSize, true, position));
    }
  }

  /** The seed of one source's order: the stage seed mixed with the source's name. */
  static long sourceSeed(long seed, String name) {
    return new SeededRandom(seed, name.hashCode(), name.length()).nextLong();
  }

  private List<DataPosition.SourcePosition> startPositions(DataPosition start) {
    if (start.sources() == null) {
      if (!start.equals(DataPosition.START)) {
        throw new IllegalArgumentException("the checkpoint was written by a stage reading one shard set, not the "
            + "mixture " + names() + "; resume with the data.train it was started with");
      }
      return null;
    }
    List<String> saved = start.sources().stream().map(DataPosition.SourcePosition::name).toList();
    if (!saved.equals(names())) {
      throw new IllegalArgumentException("the checkpoint's data position is for the sources " + saved
          + ", but data.train lists " + names() + "; resume with the mixture it was started with");
    }
    return start.sources();
  }

  public List<String> names() {
    return sources.stream().map(Source::name).toList();
  }

  @Override
  public TokenRow next() throws IOException {
    int next = 0;
    for (int i = 1; i < tokens.length; i++) {
      if (tokens[i] / shares[i] < tokens[next] / shares[next]) {
        next = i;
      }
    }
    TokenRow row = streams.get(next).next();
    tokens[next] += row.length();
    return row;
  }

  @Override
  public DataPosition position() {
    List<DataPosition.SourcePosition> positions = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      positions.add(new DataPosition.SourcePosition(sources.get(i).name(), streams.get(i).position(), tokens[i]));
    }
    return new DataPosition(0, 0, 0, 0, positions);
  }

  @Override
  public void close() {
    streams.forEach(ShuffledRows::close);
  }
}
