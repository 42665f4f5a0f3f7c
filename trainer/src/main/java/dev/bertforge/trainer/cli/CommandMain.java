package dev.bertforge.trainer.cli;

import dev.bertforge.trainer.train.NonFiniteLossException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a command body and turns failures into one line on stderr and a non-zero exit status. */
final class CommandMain {
  private static final Logger LOG = LoggerFactory.getLogger(CommandMain.class);

  /** A command's work; its return value is the exit status. */
  interface Body {
    int run() throws Exception;
  }

  private CommandMain() {}

  /**
   * Prints {@code help} for {@code --help}, else runs {@code body}, reporting a failure as one line on stderr;
   * returns the exit status.
   */
  static int run(String command, String[] args, String help, PrintStream out, Body body) {
    if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
      out.print(help);
      return 0;
    }
    int status;
    try {
      status = body.run();
    } catch (NonFiniteLossException | IllegalArgumentException | IOException | UncheckedIOException
        | IllegalStateException e) {
      LOG.debug("{} failed", command, e);
      System.err.println("bertforge " + command + ": " + e.getMessage());
      status = 1;
    } catch (RuntimeException e) {
      System.err.println("bertforge " + command + ": " + e);
      e.printStackTrace();
      status = 1;
    } catch (Exception e) {
      System.err.println("bertforge " + command + ": " + e.getMessage());
      status = 1;
    }
    return status;
  }
}
