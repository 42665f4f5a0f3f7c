package dev.bertforge.transforms.io;

/**
 * Bad input that stops a run: a bad record under {@code --failOnBadRecords}, a duplicate id, an input that matches
 * nothing. The message is one line that names the file and position; commands print it as it is.
 */
public class BadInputException extends RuntimeException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
