package dev.bertforge.finetune;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.trainer.export.AtomicDirectory;
import dev.bertforge.trainer.export.HfModel;
import dev.bertforge.trainer.export.TokenizerFiles;
import dev.bertforge.trainer.model.ClassifierConfig;
import dev.bertforge.trainer.model.ModernBertConfig;
import dev.bertforge.trainer.model.ModernBertForSequenceClassification;
import dev.bertforge.trainer.model.PretrainedModel;
import dev.bertforge.trainer.optim.AdamW;
import dev.bertforge.trainer.optim.NamedParameter;
import dev.bertforge.trainer.train.LossPlot;
import dev.bertforge.trainer.train.MetricsLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One seed's fine-tuning: the classifier started from the model (encoder and head carried over, classifier drawn
 * from the seed), AdamW (β 0.9/0.98, ε 1e-6, decoupled weight decay but none on LayerNorm weights and biases) with
 * linear warmup and linear decay to 0, an evaluation after every epoch, and the final (or with {@code keepBest} the
 * best) epoch's model exported as a Hugging Face directory.
 */
final class FineTuneRun {
  private static final Logger LOG = LoggerFactory.getLogger(FineTuneRun.class);

  /** What a run gives: the exported model's validation (and test) metrics and the confusion matrix. */
  record Result(long seed, int epoch, Map<String, Double> validation, Map<String, Double> test,
      long[][] confusion, double trainSeconds, Path model) {}

  private final FinetuneOptions options;
  private final Path startDir;
  private final ModernBertConfig config;
  private final ClassifierConfig classifier;
  private final TokenizerFiles tokenizer;
  private final List<Batches.Encoded> train;
  private final List<Batches.Encoded> validation;
  private final List<Batches.Encoded> test;

  FineTuneRun(FinetuneOptions options, Path startDir, ModernBertConfig config,
      ClassifierConfig classifier, TokenizerFiles tokenizer, List<Batches.Encoded> train,
      List<Batches.Encoded> validation, List<Batches.Encoded> test) {
    this.options = options;
    this.startDir = startDir;
    this.config = config;
    this.classifier = classifier;
    this.tokenizer = tokenizer;
    this.train = train;
    this.validation = validation;
    this.test = test;
  }

  Result run(long seed, Path dir) throws IOException {
    int padId = config.padTokenId();
    int batchSize = options.getBatchSize();
    int stepsPerEpoch = (train.size() + batchSize - 1) / batchSize;
    long totalSteps = (long) stepsPerEpoch * options.getEpochs();
    long warmupSteps = Math.round(options.getWarmupRatio() * totalSteps);
    try (NDManager manager = NDManager.newBaseManager();
        MetricsLog metrics = MetricsLog.open(dir, 0)) {
      Engine.getInstance().setRandomSeed((int) seed);
      ModernBertForSequenceClassification model =
          HfModel.startClassifier(startDir, config, classifier, manager, seed);
      List<NamedParameter> parameters = new ArrayList<>();
      model.namedParameters().forEach((name, p) -> parameters.add(new NamedParameter(name, p.getArray())));
      AdamW optimizer = new AdamW(0.9, 0.98, 1e-6, options.getWeightDecay());
      ParameterStore ps = new ParameterStore(manager, false);
      long step = 0;
      long started = System.nanoTime();
      double trainSeconds = 0;
      Map<String, Double> best = null;
      int bestEpoch = 0;
      Map<String, float[]> bestWeights = null;
      Evaluation last = null;
      for (int epoch = 1; epoch <= options.getEpochs(); epoch++) {
        long epochStart = System.nanoTime();
        double lossSum = 0;
        long rows = 0;
        for (Batches.Batch batch : Batches.shuffled(train, batchSize, seed * 1_000_003L + epoch, padId)) {
          step++;
          double lr = learningRate(step, warmupSteps, totalSteps);
          double loss;
          try (NDScope scope = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.logits(ps, batch.input(), manager, true, seed * 7919L + step);
            NDArray mean = model.lossSum(logits, batch.targets()).div(batch.size());
            collector.backward(mean);
            loss = mean.getFloat();
          }
          optimizer.step(parameters, lr);
          zeroGradients(parameters);
          lossSum += loss * batch.size();
          rows += batch.size();
          ObjectNode record = metrics.newRecord("train", step).put("epoch", epoch).put("loss", loss).put("lr", lr)
              .put("elapsed_seconds", (System.nanoTime() - started) / 1e9);
          metrics.write(record);
        }
        trainSeconds += (System.nanoTime() - epochStart) / 1e9;
        last = evaluate(model, ps, manager, validation);
        ObjectNode record = metrics.newRecord("eval", step).put("epoch", epoch).put("loss", last.loss)
            .put("elapsed_seconds", (System.nanoTime() - started) / 1e9);
        last.metrics.forEach(record::put);
        metrics.write(record);
        LOG.info("seed {} epoch {}/{}: train loss {}, validation loss {}, {} ({} examples/s)", seed, epoch,
            options.getEpochs(), String.format("%.4f", lossSum / rows), String.format("%.4f", last.loss),
            describe(last.metrics), String.format("%.0f", rows / ((System.nanoTime() - epochStart) / 1e9)));
        if (options.getKeepBest() && (best == null || last.headline() > best.get(headlineName()))) {
          best = last.metrics;
          bestEpoch = epoch;
          bestWeights = snapshot(model);
        }
      }
      int exportedEpoch = options.getEpochs();
      if (options.getKeepBest() && bestEpoch != options.getEpochs()) {
        restore(model, bestWeights, manager);
        exportedEpoch = bestEpoch;
        last = evaluate(model, ps, manager, validation);
      }
      Map<String, Double> testMetrics = null;
      if (test != null) {
        testMetrics = evaluate(model, ps, manager, test).metrics;
        LOG.info("seed {} test: {}", seed, describe(testMetrics));
      }
      Path exported = dir.resolve("model");
      AtomicDirectory.write(exported, tmp -> HfModel.write(model, tokenizer, tmp));
      LossPlot.write("fine-tuning, seed " + seed, metrics.records(), dir.resolve("loss.png"), "step", 1, "step",
          classifier.task() == ClassifierConfig.Task.REGRESSION ? "MSE" : "cross-entropy");
      return new Result(seed, exportedEpoch, last.metrics, testMetrics, last.confusion, trainSeconds, exported);
    }
  }

  /** Linear warmup from 0 over {@code warmup} steps, then linear decay to 0 at {@code total} (transformers' linear). */
  double learningRate(long step, long warmup, long total) {
    double peak = options.getLr();
    if (step <= warmup) {
      return peak * step / Math.max(1, warmup);
    }
    return peak * Math.max(0.0, (double) (total - step) / Math.max(1, total - warmup));
  }

  private String headlineName() {
    return classifier.task() == ClassifierConfig.Task.REGRESSION ? "spearman" : "accuracy";
  }

  /** Loss and metrics of one split, without dropout. */
  private final class Evaluation {
    double loss;
    Map<String, Double> metrics;
    long[][] confusion;

    double headline() {
      return metrics.get(headlineName());
    }
  }

  private Evaluation evaluate(ModernBertForSequenceClassification model, ParameterStore ps, NDManager manager,
      List<Batches.Encoded> examples) {
    int n = examples.size();
    float[][] logits = new float[n][];
    double lossSum = 0;
    for (Batches.Batch batch : Batches.inOrder(examples, Math.max(options.getBatchSize(), 32), config.padTokenId())) {
      try (NDScope scope = new NDScope()) {
        NDArray out = model.logits(ps, batch.input(), manager);
        lossSum += model.lossSum(out, batch.targets()).getFloat();
        float[] flat = out.toFloatArray();
        int k = classifier.numLabels();
        for (int r = 0; r < batch.size(); r++) {
          logits[batch.rows()[r]] = java.util.Arrays.copyOfRange(flat, r * k, (r + 1) * k);
        }
      }
    }
    Evaluation e = new Evaluation();
    e.loss = lossSum / n;
    if (classifier.task() == ClassifierConfig.Task.REGRESSION) {
      double[] truth = new double[n];
      double[] predicted = new double[n];
      for (int i = 0; i < n; i++) {
        truth[i] = examples.get(i).target();
        predicted[i] = logits[i][0];
      }
      e.metrics = Metrics.regression(truth, predicted);
    } else {
      int[] truth = new int[n];
      int[] predicted = new int[n];
      for (int i = 0; i < n; i++) {
        truth[i] = (int) examples.get(i).target();
        predicted[i] = argMax(logits[i]);
      }
      e.confusion = Metrics.confusion(truth, predicted, classifier.numLabels());
      e.metrics = Metrics.classification(e.confusion);
    }
    return e;
  }

  static int argMax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  static String describe(Map<String, Double> metrics) {
    StringBuilder out = new StringBuilder();
    metrics.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append(' ')
        .append(String.format("%.4f", v)));
    return out.toString();
  }

  private static void zeroGradients(List<NamedParameter> parameters) {
    for (NamedParameter p : parameters) {
      try (NDScope scope = new NDScope()) {
        p.array().getGradient().muli(0);
      }
    }
  }

  private static Map<String, float[]> snapshot(PretrainedModel model) {
    Map<String, float[]> weights = new LinkedHashMap<>();
    model.namedParameters().forEach((name, p) -> weights.put(name, p.getArray().toFloatArray()));
    return weights;
  }

  private static void restore(PretrainedModel model, Map<String, float[]> weights, NDManager manager) {
    for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
      NDArray array = e.getValue().getArray();
      PretrainedModel.setParameter(e.getValue(), manager.create(weights.get(e.getKey()), array.getShape()));
      array.close();
    }
  }
}
