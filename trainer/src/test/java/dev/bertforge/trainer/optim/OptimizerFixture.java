package dev.bertforge.trainer.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A case written by src/test/python/make_optimizer_fixtures.py: tensors by name plus its json. */
final class OptimizerFixture {
  static final List<String> NAMES =
      List.of("model.layers.0.attn.Wqkv.weight", "model.final_norm.weight", "decoder.bias");

  final Map<String, NDArray> tensors = new HashMap<>();
  final JsonNode meta;

  OptimizerFixture(NDManager manager, String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/optim/" + name + ".safetensors")) {
      for (NDArray array : NDList.decode(manager, in)) {
        tensors.put(array.getName(), array);
      }
    }
    try (InputStream in = getClass().getResourceAsStream("/optim/" + name + ".json")) {
      meta = new ObjectMapper().readTree(in);
    }
  }

  NDArray get(String key) {
    NDArray array = tensors.get(key);
    if (array == null) {
      throw new IllegalArgumentException("fixture has no tensor " + key);
    }
    return array;
  }

  /** Trainable copies of {@code prefix + NAME}, in {@link #NAMES} order. */
  List<NamedParameter> parameters(String prefix) {
    List<NamedParameter> parameters = new ArrayList<>();
    for (String name : NAMES) {
      NDArray weight = get(prefix + name).duplicate();
      weight.setRequiresGradient(true);
      parameters.add(new NamedParameter(name, weight));
    }
    return parameters;
  }

  /** Gives every parameter the gradient {@code prefix + NAME} (backward of {@code sum(w · g)} is g). */
  void setGradients(List<NamedParameter> parameters, String prefix) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = null;
      for (NamedParameter parameter : parameters) {
        NDArray term = parameter.array().mul(get(prefix + parameter.name())).sum();
        loss = loss == null ? term : loss.add(term);
      }
      collector.backward(loss);
    }
  }
}
