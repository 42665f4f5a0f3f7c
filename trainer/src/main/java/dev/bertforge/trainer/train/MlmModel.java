package dev.bertforge.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.bertforge.trainer.export.Checkpoint;
import dev.bertforge.trainer.export.HfWeights;
import dev.bertforge.trainer.export.TokenizerFiles;
import dev.bertforge.trainer.model.EncoderInput;
import dev.bertforge.trainer.model.MlmOutput;
import dev.bertforge.trainer.model.ModernBertConfig;
import dev.bertforge.trainer.model.ModernBertForMaskedLM;
import dev.bertforge.trainer.optim.NamedParameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model as the training loop uses it: a {@link ModernBertForMaskedLM} with its weights, run on
 * {@link MicroBatch}es for a backward pass or for evaluation, saved and loaded as {@code config.json} +
 * {@code model.safetensors}.
 */
public final class MlmModel implements AutoCloseable {
  private final NDManager manager;
  private final ModernBertForMaskedLM model;
  private final ParameterStore parameterStore;
  private final List<NamedParameter> parameters = new ArrayList<>();

  private MlmModel(NDManager manager, ModernBertForMaskedLM model) {
    this.manager = manager;
    this.model = model;
    this.parameterStore = new ParameterStore(manager, false);
    for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
      parameters.add(new NamedParameter(e.getKey(), e.getValue().getArray()));
    }
  }

  /** A new model with the recipe's initialisation; the same seed gives the same weights. */
  public static MlmModel initialize(ModernBertConfig config, long seed) {
    NDManager manager = NDManager.newBaseManager();
    ModernBertForMaskedLM model = new ModernBertForMaskedLM(config);
    model.initialize(manager, seed);
    return new MlmModel(manager, model);
  }

  /**
   * The weights of {@code dir} (a checkpoint or a Hugging Face directory) in a model built from
   * {@code config}, which must have the same shapes as the directory's own {@code config.json} (RoPE θ,
   * dropout and the local window may differ: they hold no weights).
   */
  public static MlmModel load(Path dir, ModernBertConfig config) throws IOException {
    NDManager manager = NDManager.newBaseManager();
    try {
      ModernBertForMaskedLM model = new ModernBertForMaskedLM(config);
      HfWeights.load(model, dir, manager);
      return new MlmModel(manager, model);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public ModernBertConfig config() {
    return model.config();
  }

  /** Every trainable tensor with its Hugging Face name. */
  public List<NamedParameter> parameters() {
    return parameters;
  }

  /**
   * Forward and backward of one micro-batch, adding to the parameters' gradients. The loss is divided by
   * the labelled positions of the whole step, so that accumulating micro-batches gives the gradient of the
   * step's mean loss whatever the split. Dropout is seeded from {@code dropoutSeed} per layer, so the plain and the
   * checkpointed pass give the same gradients.
   *
   * @param checkpointed recompute each layer in the backward pass instead of keeping its activations
   * @return the micro-batch's summed cross-entropy
   */
  public double backward(MicroBatch batch, long stepLabelCount, long dropoutSeed, boolean checkpointed) {
    try (NDScope scope = new NDScope()) {
      if (checkpointed) {
        MlmOutput output = model.forwardBackwardCheckpointed(parameterStore, input(batch), batch.labels(), manager,
            1f / stepLabelCount, dropoutSeed);
        return output.lossSum().getFloat();
      }
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        MlmOutput output = model.forward(parameterStore, input(batch), batch.labels(), manager, true, dropoutSeed);
        output.backward(collector, 1f / stepLabelCount);
        return output.lossSum().getFloat();
      }
    }
  }

  /** The device the model's parameters live on. */
  public ai.djl.Device device() {
    return manager.getDevice();
  }

  /** Loss sum, labelled count and correct predictions of one micro-batch, without dropout or gradients. */
  public EvalCounts evaluate(MicroBatch batch) {
    try (NDScope scope = new NDScope()) {
      MlmOutput output = model.forward(parameterStore, input(batch), batch.labels(), manager, false);
      return new EvalCounts(output.lossSum().getFloat(), output.count(), output.correct(), batch.tokens());
    }
  }

  /** Clears the gradients the last step accumulated. */
  public void zeroGradients() {
    for (NamedParameter parameter : parameters) {
      try (NDScope scope = new NDScope()) {
        parameter.array().getGradient().muli(0);
      }
    }
  }

  /**
   * Writes the checkpoint folder {@code dir} at once: {@code config.json} (with our training settings),
   * {@code model.safetensors}, the tokenizer (if given) and the trainer's {@code state} files.
   */
  public void save(Path dir, TokenizerFiles tokenizer, Checkpoint.State state) throws IOException {
    Checkpoint.save(dir, model, tokenizer, state);
  }

  private EncoderInput input(MicroBatch batch) {
    return EncoderInput.ofDocuments(batch.inputs(), batch.docLengths(), model.config().padTokenId());
  }

  @Override
  public void close() {
    manager.close();
  }

  /** Sums over evaluated micro-batches. */
  public record EvalCounts(double lossSum, long labelled, long correct, long tokens) {
    public static final EvalCounts NONE = new EvalCounts(0, 0, 0, 0);

    /** The counts of several evaluations together (a mixture's validation sources). */
    public static EvalCounts sum(java.util.Collection<EvalCounts> counts) {
      return counts.stream().reduce(NONE, EvalCounts::plus);
    }

    public EvalCounts plus(EvalCounts other) {
      return new EvalCounts(lossSum + other.lossSum, labelled + other.labelled, correct + other.correct,
          tokens + other.tokens);
    }

    public double loss() {
      return lossSum / labelled;
    }

    public double accuracy() {
      return (double) correct / labelled;
    }
  }
}
