package dev.bertforge.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An Adam-family optimizer over named parameters: keeps the first and second moments per parameter, counts
 * steps, and saves both so a resumed run continues with the same state. Subclasses supply the update rule.
 */
public abstract class Optimizer {
  private static final String FIRST_MOMENT = ".exp_avg";
  private static final String SECOND_MOMENT = ".exp_avg_sq";

  private final Map<String, NDArray[]> moments = new HashMap<>();
  private long steps;

  /** The rule's name as configs and checkpoints spell it. */
  public abstract String name();

  /**
   * One update of every parameter from its gradient with learning rate {@code lr}; parameters without a
   * gradient are skipped.
   */
  public void step(List<NamedParameter> parameters, double lr) {
    steps++;
    for (NamedParameter parameter : parameters) {
      NDArray weight = parameter.array();
      if (!weight.hasGradient()) {
        continue;
      }
      NDArray[] m = moments.computeIfAbsent(parameter.name(),
          name -> new NDArray[] {weight.zerosLike(), weight.zerosLike()});
      try (NDScope scope = new NDScope()) {
        update(weight, weight.getGradient(), m[0], m[1], steps, lr, parameter.decays());
      }
    }
  }

  /**
   * Updates {@code weight}, {@code exp_avg} and {@code exp_avg_sq} in place for step {@code t} (from 1).
   *
   * @param decays whether this parameter gets weight decay
   */
  protected abstract void update(NDArray weight, NDArray grad, NDArray expAvg, NDArray expAvgSq, long t, double lr,
      boolean decays);

  /** Steps taken so far (the {@code t} of bias correction). */
  public long steps() {
    return steps;
  }

  /** Forgets the moments and the step count, as a stage that resets the optimizer does. */
  public void reset() {
    moments.values().forEach(pair -> {
      pair[0].close();
      pair[1].close();
    });
    moments.clear();
    steps = 0;
  }

  /** Writes the moments as safetensors ({@code NAME.exp_avg}, {@code NAME.exp_avg_sq}). */
  public void saveMoments(Path file) throws IOException {
    NDList list = new NDList();
    moments.forEach((name, pair) -> {
      NDArray first = pair[0].duplicate();
      first.setName(name + FIRST_MOMENT);
      NDArray second = pair[1].duplicate();
      second.setName(name + SECOND_MOMENT);
      list.add(first);
      list.add(second);
    });
    try (OutputStream out = Files.newOutputStream(file)) {
      list.encode(out, NDList.Encoding.SAFETENSORS);
    } finally {
      list.close();
    }
  }

  /**
   * Reads moments written by {@link #saveMoments} for these parameters and sets the step count.
   *
   * @throws IOException if a moment is missing or has another shape than its parameter
   */
  public void loadMoments(Path file, List<NamedParameter> parameters, long stepCount) throws IOException {
    reset();
    Map<String, NDArray> byName = new HashMap<>();
    NDManager manager = parameters.get(0).array().getManager();
    try (InputStream in = Files.newInputStream(file)) {
      for (NDArray array : NDList.decode(manager, in)) {
        byName.put(array.getName(), array);
      }
    }
    for (NamedParameter parameter : parameters) {
      NDArray first = byName.remove(parameter.name() + FIRST_MOMENT);
      NDArray second = byName.remove(parameter.name() + SECOND_MOMENT);
      if (first == null || second == null) {
        throw new IOException(file + ": no optimizer moments for " + parameter.name());
      }
      if (!first.getShape().equals(parameter.array().getShape())
          || !second.getShape().equals(parameter.array().getShape())) {
        throw new IOException(file + ": moments of " + parameter.name() + " have shape " + first.getShape()
            + ", the parameter " + parameter.array().getShape());
      }
      moments.put(parameter.name(), new NDArray[] {first, second});
    }
    byName.values().forEach(NDArray::close);
    steps = stepCount;
  }
}
