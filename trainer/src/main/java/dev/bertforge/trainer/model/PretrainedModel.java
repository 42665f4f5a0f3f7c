package dev.bertforge.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A ModernBERT model with a task head, as transformers' {@code ModernBertFor...} classes: its parameters by their
 * HF state-dict names, and the recipe's initialisation of the ones that have no value yet.
 */
public abstract class PretrainedModel extends ModelBlock {

  protected final ModernBertConfig config;

  protected PretrainedModel(ModernBertConfig config) {
    this.config = config;
  }

  public ModernBertConfig config() {
    return config;
  }

  /** Every parameter by its HF name, in state-dict order. */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> named = new LinkedHashMap<>();
    visitParameters("", (name, parameter, shape, init) -> named.put(name, parameter));
    return named;
  }

  /** The shape HF expects for each parameter, in state-dict order. */
  public Map<String, Shape> expectedShapes() {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    visitParameters("", (name, parameter, shape, init) -> shapes.put(name, shape));
    return shapes;
  }

  /**
   * Gives every parameter that has no value yet its starting value, as the recipe initialises: truncated normal
   * (±{@code initializer_cutoff_factor}·σ; σ = {@code initializer_range}, σ/√(2L) for the attention and MLP
   * output projections), LayerNorm weights 1, biases 0. The same seed gives the same weights: each parameter's
   * values are drawn from a stream named after it, so a parameter starts the same whatever else is initialised.
   */
  public void initialize(NDManager manager, long seed) {
    visitParameters("", (name, parameter, shape, init) -> {
      if (parameter.isInitialized()) {
        return;
      }
      NDArray array;
      switch (init.kind) {
        case ONES:
          array = manager.ones(shape);
          break;
        case ZEROS:
          array = manager.zeros(shape);
          break;
        default:
          float[] values = TruncatedNormal.sample(Math.toIntExact(shape.size()), init.std,
              config.initializerCutoffFactor(), seed, name);
          array = manager.create(values, shape);
      }
      setParameter(parameter, array);
    });
  }

  /** Sets a parameter's value (an array of the expected shape on the model's manager), trainable. */
  public static void setParameter(Parameter parameter, NDArray array) {
    parameter.setArray(array);
    array.setRequiresGradient(parameter.requiresGradient());
  }

  /** DJL's initialisation entry point: the recipe's initialisation with seed 0. */
  @Override
  public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
    if (dataType != DataType.FLOAT32) {
      throw new IllegalArgumentException("ModernBERT trains in float32 only (bf16 crashes DJL's PyTorch engine)");
    }
    initialize(manager, 0L);
  }
}
