package dev.bertforge.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our optimizers against the PyTorch reference run of the same steps (fixtures made by torch). */
class OptimizerTest {
  @TempDir Path tmp;

  @Test
  void stableAdamWMatchesTheReferenceRuleStepByStep() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      OptimizerFixture fixture = new OptimizerFixture(manager, "stable_adamw");
      var hp = fixture.meta;
      StableAdamW optimizer = new StableAdamW(hp.get("beta1").asDouble(), hp.get("beta2").asDouble(),
          hp.get("eps").asDouble(), hp.get("weight_decay").asDouble(), hp.get("max_lr").asDouble(), true);
      run(fixture, optimizer);
    }
  }

  @Test
  void adamWMatchesTorch() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      OptimizerFixture fixture = new OptimizerFixture(manager, "adamw");
      var hp = fixture.meta;
      AdamW optimizer = new AdamW(hp.get("beta1").asDouble(), hp.get("beta2").asDouble(), hp.get("eps").asDouble(),
          hp.get("weight_decay").asDouble());
      run(fixture, optimizer);
    }
  }

  @Test
  void withoutWeightDecayExemptionsTheMatrixWouldDiffer() throws IOException {
    // guards the test itself: the weight decay of the fixture is large enough to be seen
    try (NDManager manager = NDManager.newBaseManager()) {
      OptimizerFixture fixture = new OptimizerFixture(manager, "stable_adamw");
      var hp = fixture.meta;
      StableAdamW noDecay = new StableAdamW(hp.get("beta1").asDouble(), hp.get("beta2").asDouble(),
          hp.get("eps").asDouble(), 0, hp.get("max_lr").asDouble(), true);
      List<NamedParameter> parameters = fixture.parameters("init.");
      fixture.setGradients(parameters, "grad.0.");
      noDecay.step(parameters, fixture.meta.get("lrs").get(0).asDouble());
      double difference = maxAbsDifference(parameters.get(0).array(),
          fixture.get("after.0." + parameters.get(0).name()));
      assertTrue(difference > 1e-4, "weight decay invisible in the fixture: " + difference);
    }
  }

  @Test
  void momentsSurviveASaveAndLoad() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      OptimizerFixture fixture = new OptimizerFixture(manager, "stable_adamw");
      var hp = fixture.meta;
      StableAdamW first = new StableAdamW(0.9, 0.98, 1e-6, 0.5, 1e-3, true);
      List<NamedParameter> parameters = fixture.parameters("init.");
      double lr0 = hp.get("lrs").get(0).asDouble();
      fixture.setGradients(parameters, "grad.0.");
      first.step(parameters, lr0);
      zeroGradients(parameters);
      first.saveMoments(tmp.resolve("moments.safetensors"));

      StableAdamW second = new StableAdamW(0.9, 0.98, 1e-6, 0.5, 1e-3, true);
      second.loadMoments(tmp.resolve("moments.safetensors"), parameters, first.steps());
      fixture.setGradients(parameters, "grad.1.");
      second.step(parameters, hp.get("lrs").get(1).asDouble());
      for (NamedParameter parameter : parameters) {
        assertClose(fixture.get("after.1." + parameter.name()), parameter.array(), parameter.name());
      }
      IOException missing = assertThrows(IOException.class, () -> second.loadMoments(
          tmp.resolve("moments.safetensors"), List.of(new NamedParameter("other.weight", manager.ones(
              new ai.djl.ndarray.types.Shape(2, 2)))), 1));
      assertTrue(missing.getMessage().contains("no optimizer moments for other.weight"));
    }
  }

  @Test
  void globalNormClippingMatchesTorch() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      OptimizerFixture fixture = new OptimizerFixture(manager, "clip_grad_norm");
      List<NamedParameter> parameters = fixture.parameters("grad.");
      fixture.setGradients(parameters, "grad.");
      double norm = GradientClipping.clipGlobalNorm(parameters, fixture.meta.get("max_norm").asDouble());
      assertEquals(fixture.meta.get("norm").asDouble(), norm, 1e-5 * norm);
      for (NamedParameter parameter : parameters) {
        assertClose(fixture.get("clipped." + parameter.name()), parameter.array().getGradient(), parameter.name());
      }
      assertEquals(2.0, GradientClipping.globalNorm(parameters), 1e-5);
    }
  }

  private static void run(OptimizerFixture fixture, Optimizer optimizer) {
    List<NamedParameter> parameters = fixture.parameters("init.");
    int steps = fixture.meta.get("steps").asInt();
    for (int step = 0; step < steps; step++) {
      fixture.setGradients(parameters, "grad." + step + ".");
      optimizer.step(parameters, fixture.meta.get("lrs").get(step).asDouble());
      zeroGradients(parameters);
      for (NamedParameter parameter : parameters) {
        assertClose(fixture.get("after." + step + "." + parameter.name()), parameter.array(),
            parameter.name() + " after step " + step);
      }
    }
    assertEquals(steps, optimizer.steps());
  }

  private static void zeroGradients(List<NamedParameter> parameters) {
    for (NamedParameter parameter : parameters) {
      parameter.array().getGradient().muli(0);
    }
  }

  private static void assertClose(NDArray expected, NDArray actual, String what) {
    double difference = maxAbsDifference(expected, actual);
    double scale = Math.max(1, expected.abs().max().getFloat());
    assertTrue(difference <= 2e-6 * scale, what + ": max |difference| " + difference);
  }

  private static double maxAbsDifference(NDArray expected, NDArray actual) {
    return expected.sub(actual).abs().max().getFloat();
  }
}
