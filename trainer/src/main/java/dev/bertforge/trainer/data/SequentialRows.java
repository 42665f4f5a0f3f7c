package dev.bertforge.trainer.data;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The rows of a {@link ShardSet} in file order, one record at a time, each cut into pieces of at most
 * {@code maxLength} tokens: what evaluation reads. Memory holds one record, whatever the size of the shards, and
 * nothing past the last row taken is read.
 */
public final class SequentialRows implements RowStream {
  private final ShardSet shardSet;
  private final int maxLength;
  private final int vocabSize;
  private int shard;
  private int row;
  private int piece;
  private TfRecordReader reader;
  private TokenRow currentRow;

  public SequentialRows(ShardSet shardSet, int maxLength, int vocabSize) {
    if (maxLength <= 0) {
      throw new IllegalArgumentException("max length must be positive: " + maxLength);
    }
    this.shardSet = shardSet;
    this.maxLength = maxLength;
    this.vocabSize = vocabSize;
  }

  @Override
  public TokenRow next() throws IOException {
    while (currentRow == null) {
      if (shard >= shardSet.shards().size()) {
        return null;
      }
      if (reader == null) {
        reader = new TfRecordReader(shardSet.shards().get(shard).path());
      }
      byte[] record = reader.next();
      if (record == null) {
        reader.close();
        reader = null;
        shard++;
        row = 0;
        continue;
      }
      currentRow = TokenRow.decode(record, vocabSize, reader.shard(), reader.lastRecordOffset());
    }
    TokenRow result = currentRow.piece(piece, maxLength);
    piece++;
    if (piece >= currentRow.pieces(maxLength)) {
      currentRow = null;
      piece = 0;
      row++;
    }
    return result;
  }

  /** Shard index as the window, the row within the shard, the piece within the row. */
  @Override
  public DataPosition position() {
    return new DataPosition(0, shard, row, piece);
  }

  @Override
  public void close() {
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      reader = null;
    }
  }
}
