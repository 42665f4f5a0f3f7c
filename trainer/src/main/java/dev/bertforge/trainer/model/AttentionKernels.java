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
 * PyTorch's fused {@code scaled_dot_product_attention}, which DJL does not bind, reached through a TorchScript module
 * of the project's own ({@code attention_kernels.torchscript}, beside this class): written into a TorchScript
 * archive once per process, loaded with DJL's PyTorch engine, and called through its {@code PtSymbolBlock}, which runs
 * a module method with autograd when asked to train. The backward pass is PyTorch's fused one too: no
 * {@code length²} probabilities are kept.
 */
final class AttentionKernels {

  private static final String SOURCE = "attention_kernels.torchscript";
  private static volatile AttentionKernels instance;
  private static volatile RuntimeException loadFailure;

  private final Model model;
  private final Block block;
  private final ParameterStore parameterStore;

  private AttentionKernels(Model model) {
    this.model = model;
    this.block = model.getBlock();
    this.parameterStore = new ParameterStore(model.getNDManager(), false);
  }

  /** The kernels of this process, loaded on first use; fails with the reason they cannot be loaded. */
  static AttentionKernels get() {
    AttentionKernels kernels = instance;
    if (kernels != null) {
      return kernels;
    }
    synchronized (AttentionKernels.class) {
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

  private static AttentionKernels load() throws IOException {
    String source;
    try (InputStream in = AttentionKernels.class.getResourceAsStream(SOURCE)) {
      if (in == null) {
        throw new IOException(SOURCE + " is missing from the trainer's classpath");
      }
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path dir = Files.createTempDirectory("bertforge-kernels");
    Path file = dir.resolve("attention_kernels.pt");
    TorchScriptArchive.write(file, "attention_kernels", "AttentionKernels", source);
    Model model = Model.newInstance("attention_kernels", "PyTorch");
    try {
      model.load(dir, "attention_kernels");
    } catch (Exception e) {
      model.close();
      throw new IOException("loading " + file + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
    return new AttentionKernels(model);
  }

  /** Attention of every query to every key of its row: q, k, v [B, heads, S, d]. */
  NDArray full(NDArray q, NDArray k, NDArray v, Settings settings, boolean training) {
    return call("forward", training, settings, q, k, v);
  }

  /** Attention where the boolean {@code mask} (broadcastable to [B, heads, S, S]) is true. */
  NDArray masked(NDArray q, NDArray k, NDArray v, NDArray mask, Settings settings, boolean training) {
    return call("masked", training, settings, q, k, v, mask);
  }

  /** Blocked sliding-window attention: q [B, h, n, w, d], k, v [B, h, n, kw, d], mask [B, 1, n, w, kw]. */
  NDArray blocks(NDArray q, NDArray k, NDArray v, NDArray mask, Settings settings, boolean training) {
    return call("blocks", training, settings, q, k, v, mask);
  }

  /** Attention within the segments {@code bounds} (int64 [n, 4]: row, start, end, attend) of each row. */
  NDArray segments(NDArray q, NDArray k, NDArray v, NDArray bounds, Settings settings, boolean training) {
    return call("segments", training, settings, q, k, v, bounds);
  }

  /** Score scale, attention-probability dropout (training only) and precision of one attention. */
  record Settings(float scale, float dropout, AttentionPrecision precision) {}

  private NDArray call(String method, boolean training, Settings settings, NDArray... arrays) {
    NDManager manager = arrays[0].getManager();
    NDList inputs = new NDList(arrays.length + 2);
    for (NDArray array : arrays) {
      inputs.add(array);
    }
    inputs.add(manager.create(new float[] {settings.scale(), settings.dropout(), settings.precision().ordinal()}));
    if (!method.equals("forward")) {
      NDArray selector = manager.create(0);
      selector.setName("module_method:" + method);
      inputs.add(selector);
    }
    synchronized (this) { // the block's training flag is module state
      return block.forward(parameterStore, inputs, training).singletonOrThrow();
    }
  }

  /** Keeps the model (and so its native module) alive as long as the kernels are. */
  Model model() {
    return model;
  }

}
