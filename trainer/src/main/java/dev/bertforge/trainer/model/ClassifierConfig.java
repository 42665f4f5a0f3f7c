package dev.bertforge.trainer.model;

import java.util.List;
import java.util.Locale;

/**
 * What a sequence classifier predicts and how it pools (transformers' {@code problem_type}, {@code id2label},
 * {@code classifier_pooling} and {@code classifier_dropout}): single-label classification over {@code labels} (id i
 * is {@code labels.get(i)}) or regression (one output).
 */
public final class ClassifierConfig {

  /** transformers' {@code problem_type}s this classifier trains. */
  public enum Task {
    SINGLE_LABEL_CLASSIFICATION("single_label_classification"),
    REGRESSION("regression");

    public final String hfName;

    Task(String hfName) {
      this.hfName = hfName;
    }

    public static Task ofHfName(String name) {
      for (Task t : values()) {
        if (t.hfName.equals(name)) {
          return t;
        }
      }
      throw new IllegalArgumentException("problem_type '" + name + "' is not supported (single_label_classification"
          + " or regression)");
    }
  }

  /** How the final hidden states become one vector per row: the [CLS] token's, or the mean over real tokens. */
  public enum Pooling {
    CLS,
    MEAN;

    public String hfName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Pooling named(String name) {
      for (Pooling p : values()) {
        if (p.hfName().equals(name)) {
          return p;
        }
      }
      throw new IllegalArgumentException("pooling must be cls or mean, got '" + name + "'");
    }
  }

  private final Task task;
  private final List<String> labels;
  private final Pooling pooling;
  private final float dropout;

  public ClassifierConfig(Task task, List<String> labels, Pooling pooling, float dropout) {
    if (task == Task.SINGLE_LABEL_CLASSIFICATION && labels.size() < 2) {
      throw new IllegalArgumentException("a classifier needs at least two labels, got " + labels);
    }
    if (task == Task.REGRESSION && labels.size() != 1) {
      throw new IllegalArgumentException("a regression has one output, got labels " + labels);
    }
    if (dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("classifier dropout must be in [0, 1), got " + dropout);
    }
    this.task = task;
    this.labels = List.copyOf(labels);
    this.pooling = pooling;
    this.dropout = dropout;
  }

  /** A regression's config: one output, named as transformers names an unnamed label. */
  public static ClassifierConfig regression(Pooling pooling, float dropout) {
    return new ClassifierConfig(Task.REGRESSION, List.of("LABEL_0"), pooling, dropout);
  }

  public Task task() {
    return task;
  }

  /** The label of each output, by id. */
  public List<String> labels() {
    return labels;
  }

  public int numLabels() {
    return labels.size();
  }

  public Pooling pooling() {
    return pooling;
  }

  public float dropout() {
    return dropout;
  }

  @Override
  public String toString() {
    return task.hfName + " " + labels + ", " + pooling.hfName() + " pooling";
  }
}
