package dev.bertforge.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of a {@link ShardSet} in a deterministic order from the seed, each cut into pieces of at most
 * {@code maxLength} tokens. With {@code loop} the stream starts a new, differently shuffled epoch at the
 * end; without it it ends. The next window is read in the background while the current one is used.
 */
public final class ShuffledRows implements RowStream {
  private static final Logger LOG = LoggerFactory.getLogger(ShuffledRows.class);

  private final ShardSet shardSet;
  private final ShuffleWindows windows;
  private final int maxLength;
  private final int vocabSize;
  private final boolean loop;
  private final ExecutorService loader;

  private int epoch;
  private int windowIndex;
  private int row;
  private int piece;
  private List<List<Integer>> epochWindows;
  private Window window;
  private CompletableFuture<Window> nextWindow;
  private TokenRow currentRow;
  private long rowsInEpoch;
  private boolean epochReadFromStart;

  /**
   * @param vocabSize ids at or above it are reported as corrupt records
   * @param windowBytes how many bytes of shards are shuffled together in memory
   */
  public ShuffledRows(ShardSet shardSet, long seed, boolean shuffle, long windowBytes, int maxLength,
      int vocabSize, boolean loop, DataPosition start) {
    if (maxLength <= 0) {
      throw new IllegalArgumentException("max length must be positive: " + maxLength);
    }
    this.shardSet = shardSet;
    this.windows = new ShuffleWindows(shardSet.shards(), seed, shuffle, windowBytes);
    this.maxLength = maxLength;
    this.vocabSize = vocabSize;
    this.loop = loop;
    this.loader = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "shard-window-loader");
      thread.setDaemon(true);
      return thread;
    });
    this.epoch = start.epoch();
    this.windowIndex = start.window();
    this.row = start.row();
    this.piece = start.piece();
    this.epochWindows = windows.of(epoch);
    this.epochReadFromStart = start.window() == 0 && start.row() == 0 && start.piece() == 0;
  }

  @Override
  public DataPosition position() {
    return new DataPosition(epoch, windowIndex, row, piece);
  }

  @Override
  public TokenRow next() throws IOException {
    while (true) {
      if (windowIndex >= epochWindows.size()) {
        if (!loop) {
          return null;
        }
        if (rowsInEpoch == 0 && epochReadFromStart) {
          // shards whose manifest promised rows they lack would otherwise spin here forever
          throw new IOException("the shards of '" + shardSet.glob() + "' yielded no rows in epoch " + epoch);
        }
        epochReadFromStart = true;
        epoch++;
        windowIndex = 0;
        row = 0;
        piece = 0;
        rowsInEpoch = 0;
        epochWindows = windows.of(epoch);
        LOG.info("{}: starting epoch {}", shardSet.glob(), epoch);
        continue;
      }
      if (window == null) {
        window = takeWindow(epoch, windowIndex);
        prefetchFollowingWindow();
      }
      if (row >= window.size()) {
        windowIndex++;
        row = 0;
        piece = 0;
        window = null;
        currentRow = null;
        continue;
      }
      if (currentRow == null) {
        currentRow = window.decode(row, vocabSize);
        rowsInEpoch++;
      }
      int pieces = currentRow.pieces(maxLength);
      TokenRow result = currentRow.piece(piece, maxLength);
      piece++;
      if (piece >= pieces) {
        row++;
        piece = 0;
        currentRow = null;
      }
      return result;
    }
  }

  private Window takeWindow(int e, int w) throws IOException {
    CompletableFuture<Window> pending = nextWindow;
    nextWindow = null;
    if (pending == null || pending.isCancelled()) {
      return load(e, w, epochWindows.get(w));
    }
    try {
      Window loaded = pending.join();
      if (loaded.epoch == e && loaded.index == w) {
        return loaded;
      }
      return load(e, w, epochWindows.get(w));
    } catch (CompletionException ex) {
      if (ex.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw ex;
    }
  }

  private void prefetchFollowingWindow() {
    int e = epoch;
    int w = windowIndex + 1;
    if (w >= epochWindows.size()) {
      if (!loop) {
        return;
      }
      e++;
      w = 0;
    }
    int finalEpoch = e;
    int finalWindow = w;
    // computed here: the loader thread must not read fields the reading thread changes
    List<Integer> shardIndices = (e == epoch ? epochWindows : windows.of(e)).get(w);
    nextWindow = CompletableFuture.supplyAsync(() -> {
      try {
        return load(finalEpoch, finalWindow, shardIndices);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }, loader);
  }

  private Window load(int e, int w, List<Integer> shardIndices) throws IOException {
    List<byte[]> records = new ArrayList<>();
    List<Path> shardOfRecord = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    for (int shardIndex : shardIndices) {
      Path path = shardSet.shards().get(shardIndex).path();
      try (TfRecordReader reader = new TfRecordReader(path)) {
        for (byte[] record = reader.next(); record != null; record = reader.next()) {
          records.add(record);
          shardOfRecord.add(path);
          offsets.add(reader.lastRecordOffset());
        }
      }
    }
    return new Window(e, w, records, shardOfRecord, offsets, windows.rowOrder(e, w, records.size()));
  }

  /** The raw records of one window with where each came from, read in a shuffled order. */
  private static final class Window {
    final int epoch;
    final int index;
    private final List<byte[]> records;
    private final List<Path> shards;
    private final List<Long> offsets;
    private final int[] order;

    Window(int epoch, int index, List<byte[]> records, List<Path> shards, List<Long> offsets, int[] order) {
      this.epoch = epoch;
      this.index = index;
      this.records = records;
      this.shards = shards;
      this.offsets = offsets;
      this.order = order;
    }

    int size() {
      return records.size();
    }

    TokenRow decode(int position, int vocabSize) throws CorruptShardException {
      int record = order[position];
      return TokenRow.decode(records.get(record), vocabSize, shards.get(record), offsets.get(record));
    }
  }

  @Override
  public void close() {
    loader.shutdownNow();
  }
}
