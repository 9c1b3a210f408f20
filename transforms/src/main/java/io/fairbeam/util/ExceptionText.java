package io.fairbeam.util;

import java.util.regex.Pattern;

/**
 * The text of a library's exception as a user should read it: parsers (protobuf's JSON parser
 * through Gson, for one) put a qualified exception class name in front of what they have to
 * say, which tells a user nothing.
 */
public final class ExceptionText {
  private static final Pattern CLASS_PREFIX =
      Pattern.compile("\\b(?:[a-z]\\w*\\.)+[A-Z]\\w*(?:Exception|Error): ");

  private ExceptionText() {}

  /** {@code message} without the qualified exception class names in it. */
  public static String withoutClassNames(String message) {
    return message == null ? "" : CLASS_PREFIX.matcher(message).replaceAll("");
  }
}
