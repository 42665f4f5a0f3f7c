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
import dev.bertforge.trainer.model.EncoderInput;
import dev.bertforge.trainer.model.MlmOutput;
import dev.bertforge.trainer.model.ModernBertConfig;
import dev.bertforge.trainer.model.ModernBertForMaskedLM;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One ModernBERT training step (forward, MLM loss on 30% labelled positions, backward, AdamW update) on random
 * tokens, timed: the Java side of {@code examples/bench/train-step.sh}; {@code train_step_hf.py} is the anchor.
 *
 * <p>Arguments: LAYERS HIDDEN HEADS INTERMEDIATE VOCAB SEQ BATCH STEPS. The first step is a warm-up and is not
 * timed. Dropout is 0 on both sides so that both do the same work. Prints {@code cpu_s=<process CPU seconds per
 * step>} and, last, {@code step_s=<wall seconds per step>}.
 */
public final class TrainStepBenchmark {

  private TrainStepBenchmark() {}

  public static void main(String[] args) {
    if (args.length != 8) {
      System.err.println("usage: TrainStepBenchmark LAYERS HIDDEN HEADS INTERMEDIATE VOCAB SEQ BATCH STEPS");
      System.exit(2);
    }
    int[] a = new int[8];
    for (int i = 0; i < 8; i++) {
      a[i] = Integer.parseInt(args[i]);
    }
    int vocab = a[4];
    int seq = a[5];
    int batch = a[6];
    int steps = a[7];
    ModernBertConfig config = ModernBertConfig.builder()
        .numHiddenLayers(a[0]).hiddenSize(a[1]).numAttentionHeads(a[2]).intermediateSize(a[3]).vocabSize(vocab)
        .padTokenId(3).bosTokenId(1).eosTokenId(2).clsTokenId(1).sepTokenId(2)
        .attentionOutputDropout(0f)
        .build();
    SplittableRandom random = new SplittableRandom(0);
    long[][] rows = new long[batch][seq];
    long[] labels = new long[batch * seq];
    for (int r = 0; r < batch; r++) {
      for (int i = 0; i < seq; i++) {
        rows[r][i] = 5 + random.nextInt(vocab - 5);
        labels[r * seq + i] = random.nextDouble() < 0.3 ? rows[r][i] : ModernBertForMaskedLM.IGNORE_INDEX;
      }
    }
    EncoderInput input = EncoderInput.ofRows(rows, config.padTokenId());
    try (NDManager manager = NDManager.newBaseManager()) {
      ModernBertForMaskedLM model = new ModernBertForMaskedLM(config);
      model.initialize(manager, 0L);
      ParameterStore ps = new ParameterStore(manager, false);
      Optimizer adamW = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-4f))
          .optBeta1(0.9f).optBeta2(0.98f).optEpsilon(1e-6f).optWeightDecays(1e-5f).build();
      double total = 0;
      double totalCpu = 0;
      for (int step = 0; step <= steps; step++) {
        long start = System.nanoTime();
        double cpuStart = processCpuSeconds();
        float loss;
        try (NDManager stepManager = manager.newSubManager(); NDScope scope = new NDScope()) {
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            MlmOutput out = model.forward(ps, input, labels, stepManager, true);
            out.backward(collector, 1f / out.count());
            loss = out.meanLoss().getFloat();
          }
        }
        // outside the scope: the optimizer keeps its moment arrays across steps
        for (Parameter p : model.getParameters().values()) {
          try (NDArray gradient = p.getArray().getGradient()) {
            adamW.update(p.getId(), p.getArray(), gradient);
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (step > 0) {
          total += seconds;
          totalCpu += processCpuSeconds() - cpuStart;
        }
        System.out.printf(Locale.ROOT, "step %d loss %.4f %.3fs%n", step, loss, seconds);
      }
      System.out.printf(Locale.ROOT, "threads=%s engine=%s %s%n",
          System.getProperty("ai.djl.pytorch.num_threads", "default"),
          Engine.getInstance().getEngineName(), Engine.getInstance().getVersion());
      System.out.printf(Locale.ROOT, "cpu_s=%.4f%n", totalCpu / steps);
      System.out.printf(Locale.ROOT, "step_s=%.4f%n", total / steps);
    }
  }

  /** User + system CPU time of the whole process (every libtorch thread), from /proc/self/stat. */
  static double processCpuSeconds() {
    try {
      String stat = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/stat")),
          java.nio.charset.StandardCharsets.US_ASCII);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime, stime in USER_HZ ticks
    } catch (java.io.IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
