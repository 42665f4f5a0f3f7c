package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Runs a piece of a forward pass in its own {@link NDScope}, so that the Java handles of its intermediate arrays
 * are closed as soon as it ends rather than when the whole pass ends. Without gradients that frees their memory
 * right away; with gradients the autograd graph still holds what the backward pass needs.
 */
final class Scoped {

  private Scoped() {}

  /** The result of {@code work}, moved to the enclosing scope; everything else it created is closed. */
  static NDArray run(Supplier<NDArray> work) {
    NDArray out;
    try (NDScope scope = new NDScope()) {
      out = work.get();
      NDScope.unregister(out);
    }
    NDScope.register(out);
    return out;
  }
}
