package dev.bertforge.trainer.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PyTorch's fused {@code scaled_dot_product_attention}, which DJL does not bind, and a chunked linear cross-entropy,
 * reached through a TorchScript module of the project's own ({@code fused_kernels.torchscript}, beside this class):
 * written into a TorchScript archive once per process, loaded with DJL's PyTorch engine, and called through its
 * {@code PtSymbolBlock}, which runs a module method with autograd when asked to train. The attention's backward pass
 * is PyTorch's fused one too: no {@code length²} probabilities are kept.
 */
final class FusedKernels {

  private static final String SOURCE = "fused_kernels.torchscript";
  private static volatile FusedKernels instance;
  private static volatile RuntimeException loadFailure;

  private final Model model; // held so that its native module lives as long as the kernels
  private final Block block;
  private final ParameterStore parameterStore;

  private FusedKernels(Model model) {
    this.model = model;
    this.block = model.getBlock();
    this.parameterStore = new ParameterStore(model.getNDManager(), false);
  }

  /** The kernels of this process, loaded on first use; fails with the reason they cannot be loaded. */
  static FusedKernels get() {
    FusedKernels kernels = instance;
    if (kernels != null) {
      return kernels;
    }
    synchronized (FusedKernels.class) {
      if (instance == null && loadFailure == null) {
        try {
          instance = load();
        } catch (IOException | RuntimeException e) {
          loadFailure = new IllegalStateException("PyTorch's fused attention could not be loaded through DJL ("
              + e + "); use model.attention: eager", e);
        }
      }
      if (loadFailure != null) {
        throw loadFailure;
      }
      return instance;
    }
  }

  /** Why the kernels could not be loaded, or {@code null} if they could (or were not tried yet). */
  static String failure() {
    return loadFailure == null ? null : loadFailure.getMessage();
  }

  /** True when the kernels load in this process (then {@link #get()} succeeds). */
  static boolean available() {
    try {
      get();
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static FusedKernels load() throws IOException {
    String source;
    try (InputStream in = FusedKernels.class.getResourceAsStream(SOURCE)) {
      if (in == null) {
        throw new IOException(SOURCE + " is missing from the trainer's classpath");
      }
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path dir = Files.createTempDirectory("bertforge-kernels");
    Path file = dir.resolve("fused_kernels.pt");
    TorchScriptArchive.write(file, "fused_kernels", "FusedKernels", source);
    Model model = Model.newInstance("fused_kernels", "PyTorch");
    try {
      model.load(dir, "fused_kernels");
    } catch (Exception e) {
      model.close();
      throw new IOException("loading " + file + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
    return new FusedKernels(model);
  }

  /** Attention of every query to every key of its row: q, k, v [B, heads, S, d]. */
  NDArray full(NDArray q, NDArray k, NDArray v, Settings settings, boolean training) {
    return call("forward", training, settings.options(), q, k, v).singletonOrThrow();
  }

  /** Attention where the boolean {@code mask} (broadcastable to [B, heads, S, S]) is true. */
  NDArray masked(NDArray q, NDArray k, NDArray v, NDArray mask, Settings settings, boolean training) {
    return call("masked", training, settings.options(), q, k, v, mask).singletonOrThrow();
  }

  /** Blocked sliding-window attention: q [B, h, n, w, d], k, v [B, h, n, kw, d], mask [B, 1, n, w, kw]. */
  NDArray blocks(NDArray q, NDArray k, NDArray v, NDArray mask, Settings settings, boolean training) {
    return call("blocks", training, settings.options(), q, k, v, mask).singletonOrThrow();
  }

  /** Attention within the segments {@code bounds} (int64 [n, 4]: row, start, end, attend) of each row. */
  NDArray segments(NDArray q, NDArray k, NDArray v, NDArray bounds, Settings settings, boolean training) {
    return call("segments", training, settings.options(), q, k, v, bounds).singletonOrThrow();
  }

  /** Score scale, attention-probability dropout (training only) and precision of one attention. */
  record Settings(float scale, float dropout, AttentionPrecision precision) {
    float[] options() {
      return new float[] {scale, dropout, precision.ordinal()};
    }
  }

  /**
   * Σ cross-entropy of {@code x · weightᵀ + bias} [n, V] against {@code targets} (int64 [n]), {@code chunk} rows at
   * a time, no graph; with {@code gradients}, also the gradients of that sum with respect to x, weight and bias.
   */
  CrossEntropy linearCrossEntropy(NDArray x, NDArray weight, NDArray bias, NDArray targets, int chunk,
      boolean gradients) {
    // not in inference mode, which would make the gradients read-only; the inputs carry no graph, so none is built
    NDList out = call("linear_cross_entropy", true, new float[] {chunk, gradients ? 1 : 0}, x, weight, bias,
        targets);
    return new CrossEntropy(out.get(0), out.get(1).getLong(), gradients ? out.get(2) : null,
        gradients ? out.get(3) : null, gradients ? out.get(4) : null);
  }

  /** What {@link #linearCrossEntropy} gives: the loss sum [1], correct predictions, and the gradients or null. */
  record CrossEntropy(NDArray lossSum, long correct, NDArray gradX, NDArray gradWeight, NDArray gradBias) {}

  private NDList call(String method, boolean training, float[] options, NDArray... arrays) {
    NDManager manager = arrays[0].getManager();
    NDList inputs = new NDList(arrays.length + 2);
    for (NDArray array : arrays) {
      inputs.add(array);
    }
    inputs.add(manager.create(options));
    if (!method.equals("forward")) {
      NDArray selector = manager.create(0);
      selector.setName("module_method:" + method);
      inputs.add(selector);
    }
    synchronized (this) { // the block's training flag is module state
      return block.forward(parameterStore, inputs, training);
    }
  }
}
