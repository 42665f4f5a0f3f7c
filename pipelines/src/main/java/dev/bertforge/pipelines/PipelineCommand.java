package dev.bertforge.pipelines;

import dev.bertforge.transforms.io.BadInputException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.options.Description;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * What every pipeline command's {@code main} does around its pipeline: parse {@code --name=value} options (with
 * {@code --help}), run with progress, and turn a failure into one line {@code bertforge COMMAND: message} with a
 * non-zero exit status (2 for bad options, 1 for a failed run).
 */
public final class PipelineCommand {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineCommand.class);

  private PipelineCommand() {}

  /** A command's body; anything it throws becomes a one-line error. */
  public interface Body {
    void run() throws Exception;
  }

  /**
   * Parses and validates {@code args} as {@code type}. {@code --help} prints every option with its default and
   * help text and exits 0; a bad or missing option prints one line and exits 2.
   */
  public static <T extends PipelineOptions> T parse(String command, String[] args, Class<T> type) {
    // Beam warns when a finished write finds no temporary files left to clean up: noise, not a problem.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.beam.sdk.io.FileBasedSink", "error");
    PipelineOptionsFactory.register(type);
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println("Usage: ./bertforge " + command + " [--option=value ...]\n");
      PipelineOptionsFactory.printHelp(System.out, type);
      System.exit(0);
    }
    try {
      T options = PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
      skipDirectRunnerChecks(options, Arrays.asList(args));
      return options;
    } catch (IllegalArgumentException e) {
      System.err.println("bertforge " + command + ": " + explain(e)
          + " (./bertforge " + command + " --help lists the options)");
      System.exit(2);
      throw e;
    }
  }

  /**
   * The Direct runner re-encodes every element to check that DoFns neither mutate their inputs nor emit what
   * their coder cannot encode: checks for tests, several times the work of a run. Commands turn them off unless
   * asked for ({@code --enforceImmutability=true}, {@code --enforceEncodability=true}).
   */
  private static void skipDirectRunnerChecks(PipelineOptions options, List<String> args) {
    if (!DirectRunner.class.equals(options.getRunner())) {
      return;
    }
    DirectOptions direct = options.as(DirectOptions.class);
    if (args.stream().noneMatch(a -> a.startsWith("--enforceImmutability"))) {
      direct.setEnforceImmutability(false);
    }
    if (args.stream().noneMatch(a -> a.startsWith("--enforceEncodability"))) {
      direct.setEnforceEncodability(false);
    }
  }

  /** Runs {@code body}; on failure prints the cause's message on one line and exits 1. */
  public static void exitOnFailure(String command, Body body) {
    try {
      body.run();
    } catch (Exception | Error e) {
      report(command, e, System.err);
      System.exit(1);
    }
  }

  static void report(String command, Throwable failure, PrintStream err) {
    err.println("bertforge " + command + ": " + explain(failure));
    if (!(failure instanceof BadInputException) && findBadInput(failure) == null
        && !(rootCause(failure) instanceof IllegalArgumentException)) {
      failure.printStackTrace(err); // a bug rather than bad input: keep the trace
    }
  }

  /** The message a user needs: a bad-input message wherever it sits in the causes, else the root cause. */
  static String explain(Throwable failure) {
    BadInputException bad = findBadInput(failure);
    if (bad != null) {
      return firstLine(bad.getMessage());
    }
    Throwable root = rootCause(failure);
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return firstLine(message);
  }

  private static BadInputException findBadInput(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BadInputException) {
        return (BadInputException) t;
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }

  /**
   * Dataflow's {@code --templateLocation}, read without depending on the Dataflow runner. When it is set, the
   * runner writes the job there instead of running it: Flex Template launchers create jobs this way.
   */
  public interface TemplateOptions extends PipelineOptions {
    @Description("Where the runner should generate a template file. Must either be local or Cloud Storage.")
    String getTemplateLocation();

    void setTemplateLocation(String value);
  }

  /**
   * Runs the pipeline to completion, logging progress. On the Direct runner, {@code run()} is made to return at
   * once so the metrics can be polled while it works. Fails if the job failed or was cancelled. Returns without
   * waiting when the runner only wrote a template ({@code --templateLocation}), and when it handed the job over and
   * cannot follow it to its end: then {@link #finishedHere} is false and the steps after the run must be skipped.
   */
  public static PipelineResult run(Pipeline pipeline, ProgressReporter progress) {
    PipelineOptions options = pipeline.getOptions();
    if (DirectRunner.class.equals(options.getRunner())) {
      options.as(DirectOptions.class).setBlockOnRun(false);
    }
    PipelineResult result = pipeline.run();
    String template = options.as(TemplateOptions.class).getTemplateLocation();
    if (template != null && !template.isEmpty()) {
      // the runner's result answers nothing (Dataflow's throws on every call): nothing ran to follow
      LOG.info("{}: job written as a template to {}; it runs when the template is launched", progress.command(),
          template);
      return new TemplateWritten(template);
    }
    PipelineResult.State state;
    try (ProgressReporter reporting = progress.start(result)) {
      state = result.waitUntilFinish();
    }
    if (state == null || !state.isTerminal()) {
      LOG.info("{}: the runner returned while the job is {}; it goes on without this process",
          progress.command(), state == null ? "in an unknown state" : state);
    } else if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended " + state);
    }
    return result;
  }

  /**
   * Whether a {@link #run} ended with the job done in this process, so that its metrics and outputs can be read.
   * When not, logs that {@code skipped} (what the command does after a finished run) is skipped.
   */
  public static boolean finishedHere(PipelineResult result, String command, String skipped) {
    if (result.getState() == PipelineResult.State.DONE) {
      return true;
    }
    LOG.info("{}: skipped {}: that needs the finished job (its counters are in the runner's job view)", command,
        skipped);
    return false;
  }

  /** What {@link #run} returns for a job that was only written as a template. */
  private static final class TemplateWritten implements PipelineResult {
    private final String location;

    TemplateWritten(String location) {
      this.location = location;
    }

    @Override
    public State getState() {
      return State.UNKNOWN;
    }

    @Override
    public State cancel() {
      return State.UNKNOWN;
    }

    @Override
    public State waitUntilFinish(Duration duration) {
      return State.UNKNOWN;
    }

    @Override
    public State waitUntilFinish() {
      return State.UNKNOWN;
    }

    @Override
    public MetricResults metrics() {
      throw new IllegalStateException("no metrics: the job was only written as a template to " + location);
    }
  }
}
