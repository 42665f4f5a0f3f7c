package dev.bertforge.trainer.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.trainer.data.DataPosition;
import dev.bertforge.trainer.data.SeededRandom;
import dev.bertforge.trainer.data.SequencePacker;
import dev.bertforge.trainer.data.ShardManifest;
import dev.bertforge.trainer.data.MixedRows;
import dev.bertforge.trainer.data.RowStream;
import dev.bertforge.trainer.export.TokenizerFiles;
import dev.bertforge.trainer.optim.AdamW;
import dev.bertforge.trainer.optim.GradientClipping;
import dev.bertforge.trainer.optim.Optimizer;
import dev.bertforge.trainer.optim.StableAdamW;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage: reads the shards, checks them against the model, then steps (micro-batches with gradient
 * accumulation, schedule and batch size in tokens, optimizer), logging, evaluating and checkpointing until
 * the budget is spent. Every random choice is a function of (seed, step), so {@code --resume} from a
 * checkpoint continues exactly as the uninterrupted run would have.
 */
public final class StageTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(StageTrainer.class);
  /** Seeds PyTorch's generator (dropout) apart from the data's generators. */
  private static final long DROPOUT_STREAM = 0xD0L;

  private final StageConfig config;
  private final boolean resume;

  public StageTrainer(StageConfig config, boolean resume) {
    this.config = config;
    this.resume = resume;
  }

  /** What a finished stage reports. */
  public record Result(long steps, long tokens, double lastLoss, Double validationLoss, Path lastCheckpoint,
      double tokensPerSecond) {}

  public Result run() throws IOException {
    Threads.use(config.threads());
    StageShards shards = StageShards.open(config);
    ShardManifest manifest = shards.manifest();
    StageStart start = StageStart.resolve(config, resume, manifest);
    TokenizerCheck.check(manifest, shards.first().glob(), start.modelConfig(), start.tokenizerSha256(),
        start.source());
    TokenizerFiles tokenizer = StageTokenizer.find(config, start, shards.first());
    LOG.info("stage {}: {} training rows ({} tokens) in {} shards; model {} ({} parameters) from {}", config.stage(),
        shards.trainRows(), ProgressLine.human(shards.trainTokens()), shards.trainShardFiles(), start.modelConfig(),
        String.format("%,d", start.modelConfig().parameterCount()), start.source());
    if (shards.mixture()) {
      shards.mixtureLines().forEach(line -> LOG.info("{}", line));
    }

    try (MlmModel model = start.weights() == null ? MlmModel.initialize(start.modelConfig(), config.seed())
        : MlmModel.load(start.weights(), start.modelConfig())) {
      Optimizer optimizer = optimizer();
      if (start.moments() != null) {
        optimizer.loadMoments(start.moments(), model.parameters(), start.optimizerSteps());
      }
      Files.createDirectories(config.checkpoint().dir());
      ActivationCheckpointing checkpointing = ActivationCheckpointing.decide(config.batch().activationCheckpointing(),
          model.config(), config.batch().microSize(), config.data().maxSeqLen(), MemoryUse.deviceBytes(model.device()));
      LOG.info("activation checkpointing {} ({}); attention {} on {}", checkpointing.on() ? "on" : "off",
          checkpointing.reason(), model.config().attention().resolve().name().toLowerCase(java.util.Locale.ROOT),
          model.device());
      return new Run(model, optimizer, shards, start, tokenizer, checkpointing.on()).loop();
    }
  }

  private Optimizer optimizer() {
    StageConfig.OptimizerSettings o = config.optimizer();
    if (o.name().equals("adamw")) {
      return new AdamW(o.beta1(), o.beta2(), o.eps(), o.weightDecay());
    }
    return new StableAdamW(o.beta1(), o.beta2(), o.eps(), o.weightDecay(), o.maxLr(), o.decoupleLr());
  }

  /** The mutable state of one run of the loop. */
  private final class Run {
    private final MlmModel model;
    private final Optimizer optimizer;
    private final StageShards shards;
    /** One per validation source, in the config's order. */
    private final Map<String, Evaluator> evaluators = new LinkedHashMap<>();
    private final CheckpointFolders checkpoints;
    private final LearningRateSchedule schedule = config.learningRateSchedule();
    private final String tokenizerSha256;
    private final TokenizerFiles tokenizer;
    private long step;
    private long tokens;
    private double loss = Double.NaN;
    private double lr;
    private Double validationLoss;
    private Path lastCheckpoint;
    private final double elapsedBefore;
    private final DataPosition startPosition;
    private final boolean checkpointed;
    private long emptyMicroBatches;
    private boolean memoryReported;

    Run(MlmModel model, Optimizer optimizer, StageShards shards, StageStart start, TokenizerFiles tokenizer,
        boolean checkpointed) {
      this.checkpointed = checkpointed;
      this.tokenizer = tokenizer;
      this.model = model;
      this.optimizer = optimizer;
      this.shards = shards;
      for (MixedRows.Source source : shards.validation()) {
        evaluators.put(source.name(), new Evaluator(source.shards(), config.mlm().evalMaskRate(),
            config.data().maxSeqLen(), config.batch().microSize(), config.eval().maxTokens(), config.seed()));
      }
      this.checkpoints = new CheckpointFolders(config.checkpoint().dir(), config.checkpoint().keepLast());
      this.tokenizerSha256 = shards.manifest().tokenizerSha256();
      this.step = start.step();
      this.tokens = start.tokens();
      this.lastCheckpoint = start.resumed() == null ? null : start.weights();
      this.elapsedBefore = start.resumed() == null ? 0 : start.resumed().elapsedSeconds();
      this.startPosition = start.dataPosition();
    }

    Result loop() throws IOException {
      MlmMasking masking = new MlmMasking(config.mlm().maskRate(), shards.manifest().specialTokenIds(),
          shards.manifest().vocabSize(), true);
      RowStream rows;
      try {
        rows = shards.trainRows(startPosition);
      } catch (IllegalArgumentException e) {
        throw new IOException("--resume from " + lastCheckpoint + ": " + e.getMessage(), e);
      }
      long startNanos = System.nanoTime();
      long startTokens = tokens;
      try (StepBatcher batcher = new StepBatcher(new SequencePacker(rows, config.data().maxSeqLen(),
              config.data().pack()), masking, config.batch().microSize(), config.batchSizeWarmup(), config.stageSeed(),
              step, tokens);
          Prefetcher<StepBatch> input = new Prefetcher<>("training-data", config.data().prefetchSteps(),
              batcher::next);
          MetricsLog metrics = MetricsLog.open(config.checkpoint().dir(), step)) {
        ProgressLine progress = new ProgressLine(config.log().everySeconds(), config.budget().tokens(),
            config.budget().steps(), tokens);
        StepProfiler profiler = new StepProfiler(config.checkpoint().dir());
        StepBatch lastBatch = null;
        boolean savedLast = false;
        boolean evaluatedLast = false;
        while (!budgetSpent()) {
          StepBatch batch = input.take();
          lastBatch = batch;
          profiler.beforeStep(batch.step());
          trainStep(batch, metrics, input.waitedNanos(), startNanos, startTokens);
          profiler.afterStep(batch.step());
          String line = progress.maybe(step, tokens, loss, lr, batch.sequences(), input.waitedNanos(), false);
          if (line != null) {
            LOG.info(shards.mixture() ? line + " | " + shards.mixtureProgress(batch.positionAfter()) : line);
          }
          evaluatedLast = !evaluators.isEmpty() && every(config.eval().everySteps());
          if (evaluatedLast) {
            evaluate(metrics);
            progress.restartWindow(tokens, input.waitedNanos());
          }
          savedLast = every(config.checkpoint().everySteps());
          if (savedLast) {
            save(batch, metrics, startNanos);
            progress.restartWindow(tokens, input.waitedNanos());
          }
        }
        if (lastBatch != null && !evaluators.isEmpty() && !evaluatedLast) {
          evaluate(metrics);
          plot(metrics);
        }
        if (lastBatch != null && !savedLast) {
          save(lastBatch, metrics, startNanos);
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = (tokens - startTokens) / Math.max(seconds, 1e-9);
        LOG.info("stage {} done: {} steps, {} tokens, loss {}, {} tok/s, data wait {}% of {}, {} micro-batches with "
            + "nothing masked; {}; checkpoint {}", config.stage(), step, ProgressLine.human(tokens),
            String.format("%.4f", loss), String.format("%,.0f", rate),
            String.format("%.1f", 100 * input.waitedNanos() / 1e9 / seconds), ProgressLine.duration(seconds),
            emptyMicroBatches, MemoryUse.describe(model.device()), lastCheckpoint);
        if (lastBatch != null && shards.mixture()) {
          LOG.info("stage {} mixture: {}", config.stage(), shards.mixtureProgress(lastBatch.positionAfter()));
        }
        return new Result(step, tokens, loss, validationLoss, lastCheckpoint, rate);
      }
    }

    private boolean budgetSpent() {
      StageConfig.Budget budget = config.budget();
      return (budget.tokens() > 0 && tokens >= budget.tokens()) || (budget.steps() > 0 && step >= budget.steps());
    }

    private boolean every(long interval) {
      return interval > 0 && step % interval == 0;
    }

    private void trainStep(StepBatch batch, MetricsLog metrics, long waitedNanos, long startNanos, long startTokens)
        throws IOException {
      lr = config.optimizer().lr() * schedule.multiplier(tokens);
      double lossSum = 0;
      long labels = batch.labelCount();
      int empty = 0;
      for (int m = 0; m < batch.microBatches().size(); m++) {
        MicroBatch micro = batch.microBatches().get(m);
        if (micro.labelCount() == 0) {
          empty++; // nothing to predict: no loss, no gradient
          continue;
        }
        long dropoutSeed = new SeededRandom(config.stageSeed(), DROPOUT_STREAM, batch.step(), m).nextLong();
        lossSum += model.backward(micro, labels, dropoutSeed, checkpointed);
      }
      emptyMicroBatches += empty;
      double stepLoss = labels == 0 ? Double.NaN : lossSum / labels;
      if (labels > 0 && !Double.isFinite(stepLoss)) {
        throw new NonFiniteLossException(batch.step(), stepLoss, lastCheckpoint);
      }
      double gradNorm = 0;
      if (labels > 0) {
        gradNorm = config.optimizer().clipGradNorm() > 0
            ? GradientClipping.clipGlobalNorm(model.parameters(), config.optimizer().clipGradNorm())
            : GradientClipping.globalNorm(model.parameters());
        optimizer.step(model.parameters(), lr);
        model.zeroGradients();
        loss = stepLoss;
      } else {
        LOG.warn("step {}: no position of its {} micro-batches was masked; the model is not updated",
            batch.step(), batch.microBatches().size());
      }
      step = batch.step();
      tokens += batch.tokens();
      if (!memoryReported) {
        memoryReported = true;
        LOG.info("after the first step ({} micro-batches of {} x {} tokens, activation checkpointing {}): {}",
            batch.microBatches().size(), config.batch().microSize(), config.data().maxSeqLen(),
            checkpointed ? "on" : "off", MemoryUse.describe(model.device()));
      }
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      ObjectNode record = metrics.newRecord("train", step)
          .put("tokens", tokens)
          .put("loss", labels > 0 ? stepLoss : null)
          .put("lr", lr)
          .put("grad_norm", gradNorm)
          .put("batch_size", batch.sequences())
          .put("step_tokens", batch.tokens())
          .put("masked", labels)
          .put("empty_micro_batches", empty)
          .put("tokens_per_second", (tokens - startTokens) / Math.max(seconds, 1e-9))
          .put("data_wait_seconds", waitedNanos / 1e9)
          .put("peak_rss_bytes", MemoryUse.peakResidentBytes())
          .put("elapsed_seconds", elapsedBefore + seconds);
      if (shards.mixture()) {
        shards.putMixture(record, batch.positionAfter());
      }
      metrics.write(record);
    }

    private void evaluate(MetricsLog metrics) throws IOException {
      long begin = System.nanoTime();
      Map<String, MlmModel.EvalCounts> bySource = Evaluator.runEach(evaluators, model);
      MlmModel.EvalCounts counts = MlmModel.EvalCounts.sum(bySource.values());
      validationLoss = counts.loss();
      ObjectNode record = metrics.newRecord("eval", step).put("tokens", tokens).put("loss", counts.loss())
          .put("accuracy", counts.accuracy()).put("eval_tokens", counts.tokens()).put("masked", counts.labelled());
      if (config.data().validation().size() > 1) {
        ObjectNode sources = record.putObject("sources");
        bySource.forEach((name, c) -> sources.putObject(name).put("loss", c.loss()).put("accuracy", c.accuracy())
            .put("eval_tokens", c.tokens()).put("masked", c.labelled()));
      }
      metrics.write(record);
      LOG.info("step {} validation: loss {} accuracy {} on {} tokens ({}){}", step,
          String.format("%.4f", counts.loss()), String.format("%.4f", counts.accuracy()),
          ProgressLine.human(counts.tokens()), ProgressLine.duration((System.nanoTime() - begin) / 1e9),
          bySource.size() > 1 ? "; " + Evaluator.describe(bySource) : "");
    }

    private void save(StepBatch batch, MetricsLog metrics, long startNanos) throws IOException {
      double elapsed = elapsedBefore + (System.nanoTime() - startNanos) / 1e9;
      TrainingState state = new TrainingState(config.stage(), step, tokens, batch.positionAfter(), config.seed(),
          optimizer.name(), optimizer.steps(), lr, config.optimizer().maxLr(), loss, tokenizerSha256,
          shards.manifest().vocabSize(), elapsed);
      lastCheckpoint = checkpoints.saveAtomically(step, target -> model.save(target, tokenizer, dir -> {
        optimizer.saveMoments(dir.resolve(StageStart.MOMENTS_FILE));
        state.write(dir);
      }));
      plot(metrics);
      LOG.info("checkpoint {}", lastCheckpoint);
    }

    private void plot(MetricsLog metrics) throws IOException {
      LossPlot.write(config.stage() + ": " + model.config().numHiddenLayers() + " layers × "
          + model.config().hiddenSize(), metrics.records(), config.checkpoint().dir().resolve("loss.png"));
    }
  }
}
