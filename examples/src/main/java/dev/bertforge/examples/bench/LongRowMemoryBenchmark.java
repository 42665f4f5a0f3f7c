package dev.bertforge.examples.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.bertforge.trainer.model.AttentionImplementation;
import dev.bertforge.trainer.model.EncoderInput;
import dev.bertforge.trainer.model.MlmOutput;
import dev.bertforge.trainer.model.ModernBertConfig;
import dev.bertforge.trainer.model.ModernBertForMaskedLM;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Peak resident memory of one long row (the side of {@code examples/bench/long-row-memory.sh} that is ours).
 *
 * <p>Arguments: SIZE (tiny|mini|base|large) LENGTH MODE, MODE one of {@code forward} (inference: encoder, then the
 * head at 30% of the positions), {@code train} (forward + backward + AdamW step) or {@code train-checkpointed}
 * (the same with activation checkpointing). One document of LENGTH tokens, vocabulary 50368. Prints
 * {@code rss_before_gb} (after the weights are made) and {@code peak_rss_gb} (VmHWM) last.
 */
public final class LongRowMemoryBenchmark {

  private LongRowMemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: LongRowMemoryBenchmark SIZE LENGTH forward|train|train-checkpointed");
      System.exit(2);
    }
    int length = Integer.parseInt(args[1]);
    String mode = args[2];
    ModernBertConfig config = ModernBertConfig.preset(ModernBertConfig.Preset.named(args[0])).vocabSize(50368)
        .globalRopeTheta(160000).attentionOutputDropout(0.1f)
        .attention(AttentionImplementation.named(System.getProperty("bench.attention", "auto"))).build();
    SplittableRandom random = new SplittableRandom(0);
    long[][] row = new long[1][length];
    long[] labels = new long[length];
    for (int i = 0; i < length; i++) {
      row[0][i] = 5 + random.nextInt(50000);
      labels[i] = random.nextDouble() < 0.3 ? row[0][i] : ModernBertForMaskedLM.IGNORE_INDEX;
    }
    EncoderInput input = EncoderInput.ofRows(row, config.padTokenId());
    try (NDManager manager = NDManager.newBaseManager()) {
      ModernBertForMaskedLM model = new ModernBertForMaskedLM(config);
      model.initialize(manager, 0L);
      ParameterStore ps = new ParameterStore(manager, false);
      double before = status("VmRSS");
      long start = System.nanoTime();
      float loss;
      try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
        switch (mode) {
          case "forward":
            loss = model.forward(ps, input, labels, step, false).meanLoss().getFloat();
            break;
          case "train":
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
              MlmOutput out = model.forward(ps, input, labels, step, true);
              out.backward(collector, 1f / out.count());
              loss = out.meanLoss().getFloat();
            }
            break;
          case "train-checkpointed":
            long count = java.util.Arrays.stream(labels).filter(l -> l != ModernBertForMaskedLM.IGNORE_INDEX).count();
            loss = model.forwardBackwardCheckpointed(ps, input, labels, step, 1f / count, 1L).meanLoss().getFloat();
            break;
          default:
            throw new IllegalArgumentException("mode " + mode);
        }
      }
      if (mode.startsWith("train")) {
        Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-4f)).build();
        for (Parameter p : model.getParameters().values()) {
          try (NDArray gradient = p.getArray().getGradient()) {
            adamW.update(p.getId(), p.getArray(), gradient);
          }
        }
      }
      System.out.printf(Locale.ROOT, "%s, %d tokens, %s: loss %.4f in %.1f s%n", args[0], length, mode, loss,
          (System.nanoTime() - start) / 1e9);
      System.out.printf(Locale.ROOT, "rss_before_gb=%.2f%n", before);
      System.out.printf(Locale.ROOT, "peak_rss_gb=%.2f%n", status("VmHWM"));
    }
  }

  /** A memory figure of this process from /proc/self/status, in GiB. */
  static double status(String field) throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / (1024.0 * 1024.0);
      }
    }
    return Double.NaN;
  }
}
