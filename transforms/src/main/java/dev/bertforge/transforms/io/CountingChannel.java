package dev.bertforge.transforms.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import org.apache.beam.sdk.metrics.Counter;

/** Counts the bytes read from a channel into a metric: how far reading a compressed file has come. */
final class CountingChannel implements ReadableByteChannel {
  private final ReadableByteChannel channel;
  private final Counter bytes;

  CountingChannel(ReadableByteChannel channel, Counter bytes) {
    this.channel = channel;
    this.bytes = bytes;
  }

  @Override
  public int read(ByteBuffer destination) throws IOException {
    int n = channel.read(destination);
    if (n > 0) {
      bytes.inc(n);
    }
    return n;
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
