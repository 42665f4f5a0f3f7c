package dev.bertforge.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;

/** Runners that run nothing, for what a command does when its job does not finish in its own process. */
public final class FakeRunners {
  private FakeRunners() {}

  /**
   * As DataflowRunner with {@code --templateLocation}: writes the job's steps there and returns a result that
   * answers nothing (Dataflow's DataflowTemplateJob throws on every call).
   */
  public static final class TemplateOnly extends PipelineRunner<PipelineResult> {
    private final PipelineOptions options;

    private TemplateOnly(PipelineOptions options) {
      this.options = options;
    }

    public static TemplateOnly fromOptions(PipelineOptions options) {
      return new TemplateOnly(options);
    }

    @Override
    public PipelineResult run(Pipeline pipeline) {
      StringBuilder steps = new StringBuilder();
      pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
        @Override
        public void visitPrimitiveTransform(org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
          steps.append(node.getFullName()).append('\n');
        }
      });
      try {
        Files.writeString(
            Paths.get(options.as(PipelineCommand.TemplateOptions.class).getTemplateLocation()), steps);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Result(null);
    }
  }

  /** As a runner that submits the job and returns while it runs (a detached Flink job): it stays RUNNING. */
  public static final class HandsOver extends PipelineRunner<PipelineResult> {
    public static HandsOver fromOptions(PipelineOptions options) {
      return new HandsOver();
    }

    @Override
    public PipelineResult run(Pipeline pipeline) {
      return new Result(PipelineResult.State.RUNNING);
    }
  }

  /** A runner whose job fails. */
  public static final class Fails extends PipelineRunner<PipelineResult> {
    public static Fails fromOptions(PipelineOptions options) {
      return new Fails();
    }

    @Override
    public PipelineResult run(Pipeline pipeline) {
      return new Result(PipelineResult.State.FAILED);
    }
  }

  /** Always in {@code state}, without metrics; with no state, every call throws. */
  private static final class Result implements PipelineResult {
    private final State state;

    Result(State state) {
      this.state = state;
    }

    private State state() {
      if (state == null) {
        throw new UnsupportedOperationException("The result of template creation should not be used.");
      }
      return state;
    }

    @Override
    public State getState() {
      return state();
    }

    @Override
    public State cancel() {
      return state();
    }

    @Override
    public State waitUntilFinish(Duration duration) {
      return state();
    }

    @Override
    public State waitUntilFinish() {
      return state();
    }

    @Override
    public MetricResults metrics() {
      throw new UnsupportedOperationException("no metrics");
    }
  }
}
