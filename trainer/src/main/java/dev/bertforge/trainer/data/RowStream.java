package dev.bertforge.trainer.data;

import java.io.Closeable;
import java.io.IOException;

/** A stream of row pieces of at most a maximum length, read from token shards. */
public interface RowStream extends Closeable {

  /** The next row piece, or {@code null} at the end of a stream that does not loop. */
  TokenRow next() throws IOException;

  /** Where the next {@link #next()} reads from (what a checkpoint records). */
  DataPosition position();

  @Override
  void close();
}
