package dev.bertforge.trainer.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.trainer.model.PretrainedModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Model weights in Hugging Face's layout: {@code model.safetensors} (or shards listed by
 * {@code model.safetensors.index.json}) with the state-dict names of transformers' ModernBERT classes, without the
 * masked-LM model's tied {@code decoder.weight}.
 */
public final class HfWeights {

  public static final String FILE = "model.safetensors";
  public static final String INDEX = "model.safetensors.index.json";
  /** Tied to {@code model.embeddings.tok_embeddings.weight}; never written, accepted on read if equal. */
  static final String TIED_DECODER = "decoder.weight";
  private static final String EMBEDDINGS = "model.embeddings.tok_embeddings.weight";

  private HfWeights() {}

  /**
   * Loads the weights in {@code dir} into a model whose parameters have no values yet, checking that the keys
   * and shapes are exactly the ones its config implies.
   */
  public static void load(PretrainedModel model, Path dir, NDManager manager) throws IOException {
    Map<String, SafeTensors.Tensor> tensors = readAll(dir);
    Set<String> missing = new TreeSet<>(model.expectedShapes().keySet());
    missing.removeAll(tensors.keySet());
    Set<String> unexpected = new TreeSet<>(tensors.keySet());
    unexpected.removeAll(model.expectedShapes().keySet());
    unexpected.remove(TIED_DECODER);
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      throw new IllegalArgumentException(dir + ": weights do not match a " + model.getClass().getSimpleName()
          + " with this config.json" + (missing.isEmpty() ? "" : "; missing " + list(missing))
          + (unexpected.isEmpty() ? "" : "; unexpected " + list(unexpected)));
    }
    set(model, tensors, model.expectedShapes().keySet(), dir, manager);
  }

  /**
   * Loads into {@code model} the weights of {@code dir} that it shares (same names), as {@code from_pretrained}
   * does when a checkpoint of one task starts a model of another: a masked-LM checkpoint's encoder and {@code head}
   * start a classifier. Returns the names of the model's parameters {@code dir} does not hold (left without a value,
   * to be initialised); weights of {@code dir} the model has no use for (the MLM decoder) are ignored. A shared name
   * with another shape is an error.
   */
  public static Set<String> loadShared(PretrainedModel model, Path dir, NDManager manager) throws IOException {
    Map<String, SafeTensors.Tensor> tensors = readAll(dir);
    Set<String> shared = new LinkedHashSet<>(model.expectedShapes().keySet());
    shared.retainAll(tensors.keySet());
    if (shared.isEmpty()) {
      throw new IllegalArgumentException(dir + ": holds none of the weights of a ModernBERT model");
    }
    set(model, tensors, shared, dir, manager);
    Set<String> left = new LinkedHashSet<>(model.expectedShapes().keySet());
    left.removeAll(shared);
    return left;
  }

  private static void set(PretrainedModel model, Map<String, SafeTensors.Tensor> tensors, Set<String> names,
      Path dir, NDManager manager) {
    Map<String, Shape> expected = model.expectedShapes();
    for (String name : names) {
      Shape shape = new Shape(tensors.get(name).shape());
      if (!shape.equals(expected.get(name))) {
        throw new IllegalArgumentException(dir + ": " + name + " has shape " + shape + ", config.json implies "
            + expected.get(name));
      }
    }
    if (tensors.containsKey(TIED_DECODER)
        && !Arrays.equals(tensors.get(TIED_DECODER).toFloats(), tensors.get(EMBEDDINGS).toFloats())) {
      throw new IllegalArgumentException(dir + ": decoder.weight differs from " + EMBEDDINGS
          + "; only models with a tied decoder are supported");
    }
    Map<String, Parameter> parameters = model.namedParameters();
    for (String name : names) {
      Parameter parameter = parameters.get(name);
      if (parameter.isInitialized()) {
        throw new IllegalStateException("load weights into a new model: " + name + " already has a value");
      }
      PretrainedModel.setParameter(parameter, manager.create(tensors.get(name).toFloats(), expected.get(name)));
    }
  }

  private static Map<String, SafeTensors.Tensor> readAll(Path dir) throws IOException {
    Path single = dir.resolve(FILE);
    if (Files.isRegularFile(single)) {
      return SafeTensors.read(single);
    }
    Path index = dir.resolve(INDEX);
    if (Files.isRegularFile(index)) {
      JsonNode weightMap = new ObjectMapper().readTree(index.toFile()).path("weight_map");
      Set<String> files = new LinkedHashSet<>();
      for (Iterator<JsonNode> it = weightMap.elements(); it.hasNext(); ) {
        files.add(it.next().asText());
      }
      Map<String, SafeTensors.Tensor> all = new LinkedHashMap<>();
      for (String file : files) {
        all.putAll(SafeTensors.read(dir.resolve(file)));
      }
      return all;
    }
    if (Files.isRegularFile(dir.resolve("pytorch_model.bin"))) {
      throw new IllegalArgumentException(dir + ": has only pytorch_model.bin; save it as safetensors first "
          + "(model.save_pretrained(dir, safe_serialization=True))");
    }
    throw new IllegalArgumentException(dir + ": no " + FILE + " (nor " + INDEX + ")");
  }

  /** Writes every parameter except the tied decoder weight, fp32, in state-dict order. */
  public static void save(PretrainedModel model, Path file) throws IOException {
    Map<String, SafeTensors.F32> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
      NDArray array = e.getValue().getArray();
      ByteBuffer bytes = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      tensors.put(e.getKey(), new SafeTensors.F32(array.getShape().getShape(), bytes));
    }
    SafeTensors.write(file, tensors);
  }

  private static String list(Set<String> keys) {
    List<String> shown = new ArrayList<>(keys);
    String more = shown.size() > 8 ? " and " + (shown.size() - 8) + " more" : "";
    return String.join(", ", shown.subList(0, Math.min(8, shown.size()))) + more;
  }
}
