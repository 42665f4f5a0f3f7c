package dev.bertforge.trainer.model;

import static dev.bertforge.trainer.model.HfParityTest.intRows;
import static dev.bertforge.trainer.model.HfParityTest.maxDiff;
import static dev.bertforge.trainer.model.HfParityTest.rows;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.bertforge.trainer.export.HfConfig;
import dev.bertforge.trainer.export.HfModel;
import dev.bertforge.trainer.export.SafeTensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our sequence classifier against transformers' ModernBertForSequenceClassification (eager, fp32) on weights that
 * transformers saved: logits, loss and gradients, with [CLS] and mean pooling, classification and regression
 * (fixtures from {@code src/test/python/make_classifier_fixtures.py}); and a classifier started from a masked-LM
 * directory carries its encoder and head over.
 */
class ClassifierParityTest {

  private static final Path FIXTURES = Path.of("src/test/resources/classifier");

  @ParameterizedTest
  @CsvSource({"cls_3labels, EAGER", "cls_3labels, FUSED", "mean_regression, EAGER", "mean_regression, FUSED"})
  void logitsLossAndGradientsMatchTransformers(String name, AttentionImplementation attention) throws Exception {
    Path dir = FIXTURES.resolve(name);
    Map<String, SafeTensors.Tensor> inputs = SafeTensors.read(dir.resolve("inputs.safetensors"));
    Map<String, SafeTensors.Tensor> expected = SafeTensors.read(dir.resolve("expected.safetensors"));
    try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
      ModernBertForSequenceClassification loaded = HfModel.loadClassifier(dir, manager);
      ClassifierConfig classifier = loaded.classifier();
      // the same weights under the attention being tested
      ModernBertForSequenceClassification model = new ModernBertForSequenceClassification(
          loaded.config().toBuilder().attention(attention).build(), classifier);
      Map<String, Parameter> source = loaded.namedParameters();
      model.namedParameters().forEach((key, p) -> PretrainedModel.setParameter(p, source.get(key).getArray()));
      ParameterStore ps = new ParameterStore(manager, false);

      EncoderInput input = EncoderInput.ofAttentionMask(rows(inputs.get("ids")), intRows(inputs.get("attention_mask")),
          model.config().padTokenId());
      float[] logits = model.logits(ps, input, manager).toFloatArray();
      double diff = maxDiff(logits, expected.get("logits").toFloats(), 1, null);
      System.out.printf("classifier parity %s %s: max |logit diff| = %.3g%n", name, attention, diff);
      assertThat(logits.length, is(expected.get("logits").toFloats().length));
      assertThat(diff, lessThan(1e-5));

      float[] targets = inputs.get("labels").toFloats();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = model.lossSum(model.logits(ps, input, manager, true, null), targets).div(targets.length);
        assertThat((double) loss.getFloat(), closeTo(expected.get("loss").toFloats()[0], 1e-5));
        collector.backward(loss);
      }
      Map<String, Parameter> parameters = model.namedParameters();
      for (Map.Entry<String, SafeTensors.Tensor> e : expected.entrySet()) {
        if (e.getKey().startsWith("grad.")) {
          String key = e.getKey().substring("grad.".length());
          float[] reference = e.getValue().toFloats();
          double gradDiff = maxDiff(parameters.get(key).getArray().getGradient().toFloatArray(), reference, 1, null);
          double scale = maxDiff(reference, new float[reference.length], 1, null);
          assertThat(key, gradDiff, lessThan(1e-5 * scale));
        }
      }
    }
  }

  @Test
  void readsTheLabelsTaskAndPoolingOfTheConfig() throws Exception {
    ClassifierConfig three = HfConfig.readClassifier(FIXTURES.resolve("cls_3labels/config.json"));
    assertThat(three.labels(), contains("negative", "neutral", "positive"));
    assertThat(three.task(), is(ClassifierConfig.Task.SINGLE_LABEL_CLASSIFICATION));
    assertThat(three.pooling(), is(ClassifierConfig.Pooling.CLS));
    ClassifierConfig regression = HfConfig.readClassifier(FIXTURES.resolve("mean_regression/config.json"));
    assertThat(regression.task(), is(ClassifierConfig.Task.REGRESSION));
    assertThat(regression.numLabels(), is(1));
    assertThat(regression.pooling(), is(ClassifierConfig.Pooling.MEAN));
    // a masked-LM config is no classifier, whatever id2label it has
    assertThat(HfConfig.readClassifier(HfParityTest.FIXTURES.resolve("l4_h32/config.json")), is((Object) null));
  }

  @Test
  void aClassifierStartedFromAMaskedLmKeepsItsEncoderAndHeadAndDrawsItsClassifierFromTheSeed() throws Exception {
    Path mlm = HfParityTest.FIXTURES.resolve("l4_h32");
    ClassifierConfig labels = new ClassifierConfig(ClassifierConfig.Task.SINGLE_LABEL_CLASSIFICATION,
        List.of("a", "b"), ClassifierConfig.Pooling.MEAN, 0f);
    try (NDManager manager = NDManager.newBaseManager()) {
      ModernBertForMaskedLM source = HfModel.load(mlm, manager);
      ModernBertConfig config = source.config();
      ModernBertForSequenceClassification first = HfModel.startClassifier(mlm, config, labels, manager, 7);
      ModernBertForSequenceClassification again = HfModel.startClassifier(mlm, config, labels, manager, 7);
      ModernBertForSequenceClassification other = HfModel.startClassifier(mlm, config, labels, manager, 8);
      Map<String, Parameter> mlmParameters = source.namedParameters();
      for (Map.Entry<String, Parameter> e : first.namedParameters().entrySet()) {
        float[] value = e.getValue().getArray().toFloatArray();
        if (e.getKey().startsWith("classifier.")) {
          assertArrayEquals(value, again.namedParameters().get(e.getKey()).getArray().toFloatArray(), e.getKey());
        } else {
          assertArrayEquals(mlmParameters.get(e.getKey()).getArray().toFloatArray(), value, e.getKey());
        }
      }
      float[] weight = first.namedParameters().get("classifier.weight").getArray().toFloatArray();
      float[] otherWeight = other.namedParameters().get("classifier.weight").getArray().toFloatArray();
      assertThat(java.util.Arrays.equals(weight, otherWeight), is(false));
      // transformers' σ = hidden_size^-0.5, cut at ±2σ
      double sigma = Math.pow(config.hiddenSize(), -0.5);
      double max = 0;
      for (float w : weight) {
        max = Math.max(max, Math.abs(w));
      }
      assertThat(max, lessThan(2 * sigma + 1e-6));
      assertThat(max > sigma, equalTo(true));

      IllegalArgumentException notAnEncoder = assertThrows(IllegalArgumentException.class,
          () -> HfModel.startClassifier(FIXTURES.resolve("cls_3labels"), HfConfig.read(
              FIXTURES.resolve("mean_regression/config.json")), labels, manager, 7));
      assertThat(notAnEncoder.getMessage(), containsString("has shape"));
    }
  }
}
