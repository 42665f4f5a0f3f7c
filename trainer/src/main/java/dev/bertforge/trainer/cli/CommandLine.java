package dev.bertforge.trainer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name=value}, {@code --name value} and {@code --flag} arguments, checked against the names a
 * command knows, so that a typo is an error rather than an ignored option.
 */
final class CommandLine {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> repeated = new ArrayList<>();

  /**
   * @param valued options that take a value
   * @param flags options that take none
   * @param repeatable the valued option that may be given many times ({@code set}), or {@code null}
   */
  CommandLine(String[] args, Set<String> valued, Set<String> flags, String repeatable) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "' (options look like --name=value)");
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
      if (flags.contains(name)) {
        if (equals >= 0) {
          throw new IllegalArgumentException("--" + name + " takes no value");
        }
        values.put(name, "true");
        continue;
      }
      if (!valued.contains(name) && !name.equals(repeatable)) {
        throw new IllegalArgumentException("unknown option --" + name + " (--help lists the options)");
      }
      String value;
      if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      if (name.equals(repeatable)) {
        repeated.add(value);
      } else {
        values.put(name, value);
      }
    }
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String required(String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + name + " is required (--help lists the options)");
    }
    return value;
  }

  long number(String name, long fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'");
    }
  }

  double decimal(String name, double fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, got '" + value + "'");
    }
  }

  List<String> repeated() {
    return repeated;
  }
}
