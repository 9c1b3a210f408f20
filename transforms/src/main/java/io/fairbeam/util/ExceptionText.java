package io.fairbeam.util;

import java.io.EOFException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.beam.sdk.annotations.Internal;

/**
 * The text of a library's exception as a user should read it. Libraries wrap the exception that
 * says what happened in others that do not, throw some without a message (an {@code EOFException}),
 * and put qualified class names in front of what they have to say (protobuf's JSON parser through
 * Gson, for one), which tells a user nothing.
 */
@Internal
public final class ExceptionText {
  private static final Pattern CLASS_PREFIX =
      Pattern.compile("\\b(?:[a-z]\\w*\\.)+[A-Z]\\w*(?:Exception|Error): ");

  private static final Pattern SOURCE_QUOTE =
      Pattern.compile("\\R\\s*at \\[Source: .*", Pattern.DOTALL);

  private ExceptionText() {}

  /** {@code message} without the qualified exception class names in it. */
  private static String withoutClassNames(String message) {
    return message == null ? "" : CLASS_PREFIX.matcher(message).replaceAll("");
  }

  /** The first line of {@code text}, without surrounding blanks. */
  public static String firstLine(String text) {
    return text.strip().lines().findFirst().orElse("").strip();
  }

  /** The innermost cause of {@code failure} (itself if it has none). */
  public static Throwable root(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * What {@code e} says, without a JSON parser's quote of its input (Jackson's {@code at [Source:
   * ...]}, which may run over many lines) or class names, or what its type means in words when it
   * says nothing.
   */
  public static String describe(Throwable e) {
    String message = e.getMessage();
    if (message != null && !message.isBlank()) {
      return withoutClassNames(SOURCE_QUOTE.matcher(message).replaceAll("")).strip();
    }
    if (e instanceof EOFException) {
      return "the data ends unexpectedly (a truncated file)";
    }
    return e.getClass()
        .getSimpleName()
        .replace("Exception", "")
        .replaceAll("(?<=[a-z])(?=[A-Z])", " ")
        .toLowerCase(Locale.ROOT)
        .strip();
  }
}
