package io.fairbeam.cli;

import io.fairbeam.beam.EmptyInputException;
import io.fairbeam.config.ConfigException;
import io.fairbeam.eval.BadRecordException;
import io.fairbeam.io.OutputRefusedException;
import io.fairbeam.predict.ModelException;
import io.fairbeam.predict.ModelFailedException;
import io.fairbeam.util.ExceptionText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one sentence a user sees for a failure. Failures the user can cause (bad data, a missing or
 * unreadable file, a bad config, a model that does not fit, a full disk, too little memory) carry
 * messages written to name the file, record and field; they are shown as they are, taken from
 * inside whatever wrapped them on the way out of the runner (the outermost such exception:
 * Fairbeam's own messages wrap the bare ones of the libraries below). Anything else is a bug in
 * Fairbeam: the user gets a short message and the path of a file holding the full trace, never the
 * trace itself.
 */
final class ErrorMessages {
  private ErrorMessages() {}

  /**
   * The message for {@code failure}, on one line (a line break in text it quotes from the input, a
   * CSV cell or a JSON key, shows as {@code \n}); writes the trace to a file when it is an internal
   * error.
   */
  static String of(Throwable failure) {
    // Before the user's causes: a runner wraps a worker's exhausted heap in its own IOException
    // (Flink: "Materialization of the broadcast variable failed."), which says nothing of it.
    String outOfMemory = outOfMemory(failure);
    if (outOfMemory != null) {
      return onFlinkCluster(failure)
          ? "a Flink TaskManager's Java heap is exhausted ("
              + outOfMemory
              + "); give the TaskManagers more heap (taskmanager.memory.task.heap.size, or"
              + " scripts/flink-cluster start --task-heap)"
          : "the Java heap is exhausted ("
              + outOfMemory
              + "); give Fairbeam more memory, e.g. FAIRBEAM_JAVA_OPTS=-Xmx8g";
    }
    Throwable cause = userCause(failure);
    if (cause instanceof BadRecordException badRecord) {
      // The library's advice names its Beam call; the command line names its flag.
      return badRecord.sentence().replaceAll("\\R", "\\\\n")
          + " (use --bad-records=skip to count and skip such records)";
    }
    if (cause != null) {
      return ExceptionText.describe(cause).replaceAll("\\R", "\\\\n");
    }
    Throwable root = ExceptionText.root(failure);
    return "internal error ("
        + root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + ExceptionText.firstLine(root.getMessage()))
        + "); this is a bug in Fairbeam. "
        + writeTrace(failure);
  }

  /**
   * The message for a failure while writing to {@code target}: a full disk names the output, since
   * the I/O error itself names no file.
   */
  static String writing(Throwable failure, String target) {
    String message = of(failure);
    return message.startsWith("No space left on device")
        ? target + ": no space left on the device"
        : message;
  }

  /** Whether {@code failure} is one the user caused, as opposed to a bug. */
  static boolean isUserError(Throwable failure) {
    return userCause(failure) != null || outOfMemory(failure) != null;
  }

  /**
   * What the first {@code OutOfMemoryError} in the chain says ("Java heap space"), or null if there
   * is none. A cluster sends a worker's error as a stand-in that keeps its class name only in its
   * text (Flink's {@code SerializedThrowable}), so that counts too.
   */
  private static String outOfMemory(Throwable failure) {
    String prefix = OutOfMemoryError.class.getName() + ": ";
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return String.valueOf(t.getMessage());
      }
      String text = t.toString();
      if (text.startsWith(prefix)) {
        // Flink's stand-in repeats the class name: its text is the original's toString().
        while (text.startsWith(prefix)) {
          text = text.substring(prefix.length());
        }
        return text;
      }
    }
    return null;
  }

  /** Whether the chain passed through a Flink cluster's job execution (a TaskManager failed). */
  private static boolean onFlinkCluster(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getClass().getName().startsWith("org.apache.flink.runtime.")) {
        return true;
      }
    }
    return false;
  }

  /** The outermost exception in the chain whose message is written for the user, or null. */
  private static Throwable userCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException
          || t instanceof BadRecordException
          || t instanceof EmptyInputException
          || t instanceof ConfigException
          || t instanceof ModelException
          || t instanceof ModelFailedException
          || t instanceof OutputRefusedException
          || t instanceof EvaluationFailedException) {
        return t;
      }
    }
    return null;
  }

  /** Writes the full trace to a temporary file and says where. */
  private static String writeTrace(Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    try {
      Path file = Files.createTempFile("fairbeam-error-", ".log");
      Files.writeString(file, trace.toString(), StandardCharsets.UTF_8);
      return "Please report it with the trace written to " + file;
    } catch (IOException e) {
      return "Please report it (the trace could not be written: " + e.getMessage() + ")";
    }
  }
}
