package dev.bertforge.trainer.train;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a producer on a background thread, {@code capacity} items ahead of the consumer, and measures how
 * long the consumer waited for input (the figure that says whether the data path keeps up).
 */
public final class Prefetcher<T> implements AutoCloseable {
  /** Produces the next item; an exception ends the stream and is rethrown by {@link #take}. */
  public interface Producer<T> {
    T produce() throws Exception;
  }

  private record Item<T>(T value, Exception failure) {}

  private final BlockingQueue<Item<T>> queue;
  private final Thread thread;
  private long waitedNanos;

  public Prefetcher(String name, int capacity, Producer<T> producer) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          queue.put(new Item<>(producer.produce(), null));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        try {
          queue.put(new Item<>(null, e));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** The next item, waiting for it if the producer is behind. */
  public T take() throws IOException {
    long start = System.nanoTime();
    Item<T> item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for training data", e);
    }
    waitedNanos += System.nanoTime() - start;
    if (item.failure() != null) {
      if (item.failure() instanceof IOException io) {
        throw io;
      }
      throw new IOException(item.failure().getMessage(), item.failure());
    }
    return item.value();
  }

  /** Total time {@link #take} spent waiting. */
  public long waitedNanos() {
    return waitedNanos;
  }

  @Override
  public void close() {
    thread.interrupt();
    queue.clear();
  }
}
