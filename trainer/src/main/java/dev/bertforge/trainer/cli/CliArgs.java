package dev.bertforge.trainer.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --name=value} options (and bare {@code --flag} for booleans) of a trainer command, checked against the
 * names the command knows so that a typo is an error rather than a silently ignored option.
 */
public final class CliArgs {

  /** A usage error: the command prints it with its help and exits with status 2. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, List<String>> repeated = new LinkedHashMap<>();

  private CliArgs() {}

  public static CliArgs parse(String[] args, List<String> known) {
    return parse(args, known, List.of());
  }

  /**
   * Like {@link #parse(String[], List)}, also accepting each option of {@code repeatable} any number of times,
   * as {@code --name=value} or {@code --name value} (e.g. {@code --set key=value}).
   */
  public static CliArgs parse(String[] args, List<String> known, List<String> repeatable) {
    CliArgs parsed = new CliArgs();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String bare = arg.startsWith("--") && arg.indexOf('=') < 0 ? arg.substring(2) : null;
      if (bare != null && repeatable.contains(bare) && i + 1 < args.length) {
        parsed.repeated.computeIfAbsent(bare, k -> new ArrayList<>()).add(args[++i]);
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "' (options are --name=value)");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String value = eq < 0 ? "true" : arg.substring(eq + 1);
      if (repeatable.contains(name) && eq >= 0) {
        parsed.repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        continue;
      }
      if (!known.contains(name)) {
        throw new UsageException("unknown option --" + name);
      }
      parsed.values.put(name, value);
    }
    return parsed;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public String required(String name) {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw new UsageException("--" + name + " is required");
    }
    return value;
  }

  public Path requiredPath(String name) {
    return Path.of(required(name));
  }

  public int integer(String name, int fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be an integer, got '" + value + "'");
    }
  }

  /** Every value of a repeatable option, in order. */
  public List<String> all(String name) {
    return repeated.getOrDefault(name, List.of());
  }

  public double number(String name, double fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a number, got '" + value + "'");
    }
  }

  public boolean flag(String name) {
    String value = values.getOrDefault(name, "false");
    if (!value.equals("true") && !value.equals("false")) {
      throw new UsageException("--" + name + " must be true or false, got '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }

  /**
   * Runs a command body with the conventions of every trainer command: {@code --help} prints the help, usage
   * errors exit 2 and other failures exit 1, each with one line on stderr.
   */
  public static void run(String[] args, String help, CommandBody body) {
    // DJL warns on every CPU-only start that it found no CUDA driver; that is expected, not a problem
    System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println(help);
        return;
      }
    }
    try {
      body.run();
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(help);
      System.exit(2);
    } catch (Exception e) {
      System.err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      System.exit(1);
    }
  }

  /** A command's work. */
  @FunctionalInterface
  public interface CommandBody {
    void run() throws Exception;
  }
}
