package dev.bertforge.pipelines;

/** Turns what stopped a command into its one-line message: the innermost cause's, which names file and record. */
final class CommandErrors {
  private CommandErrors() {}

  static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.toString() : oneLine(message);
  }

  /**
   * The first line of a message; for an option value Jackson could not convert ("Cannot construct instance of …,
   * problem: unknown mode 'x' …"), only the problem.
   */
  static String oneLine(String message) {
    String line = message.lines().findFirst().orElse(message);
    int problem = line.indexOf("problem: ");
    return problem >= 0 ? line.substring(problem + "problem: ".length()) : line;
  }
}
