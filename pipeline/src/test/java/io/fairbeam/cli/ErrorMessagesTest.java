package io.fairbeam.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.fairbeam.eval.BadRecordException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/** One sentence per failure: the user's message from inside the wrappers, or a traced bug. */
public class ErrorMessagesTest {
  @Test
  public void userErrorsShowTheirOwnMessageFromInsideTheRunnersWrappers() {
    RuntimeException wrapped =
        new RuntimeException(
            "org.apache.beam...UserCodeException",
            new RuntimeException(
                new BadRecordException(
                    "label missing",
                    "data.tfrecord: record 3: field 'label' (label_key) is missing")));
    assertEquals(
        "data.tfrecord: record 3: field 'label' (label_key) is missing"
            + " (use --bad-records=skip to count and skip such records)",
        ErrorMessages.of(wrapped));
    assertTrue(ErrorMessages.isUserError(wrapped));
    // Fairbeam's message wraps the library's bare one: the outer, named message wins.
    IOException named =
        new IOException("x.avro: block 2 (byte offset 90): truncated", new EOFException());
    assertEquals("x.avro: block 2 (byte offset 90): truncated", ErrorMessages.of(named));
    assertEquals(
        "the data ends unexpectedly (a truncated file)", ErrorMessages.of(new EOFException()));
    // A line break in quoted input shows as \n.
    assertEquals(
        "c.pbtxt line 5: unsupported argument(s) [num_thre\\nholds]",
        ErrorMessages.of(
            new io.fairbeam.config.ConfigException(
                "c.pbtxt line 5: unsupported argument(s) [num_thre\nholds]")));
    // A JSON parser's quote of its input on the following lines is left out.
    assertEquals(
        "x.avro: Unexpected character",
        ErrorMessages.of(
            new IOException("x.avro: Unexpected character\n at [Source: (String)\"{...}\"]")));
  }

  @Test
  public void anExhaustedHeapIsNamedWhateverWrapsIt() {
    // The Direct Runner: the error itself, inside the runner's wrappers.
    assertEquals(
        "the Java heap is exhausted (Java heap space); give Fairbeam more memory,"
            + " e.g. FAIRBEAM_JAVA_OPTS=-Xmx8g",
        ErrorMessages.of(new RuntimeException(new OutOfMemoryError("Java heap space"))));
    // A Flink TaskManager's, as the client receives it: the job's failure, Flink's IOException
    // for the side input it could not build, and the error as a serialized stand-in.
    Throwable flink =
        new org.apache.flink.runtime.client.JobExecutionException(
            new org.apache.flink.api.common.JobID(),
            "Job execution failed.",
            new IOException(
                "Materialization of the broadcast variable failed.",
                new org.apache.flink.util.SerializedThrowable(
                    new OutOfMemoryError("Java heap space"))));
    assertEquals(
        "a Flink TaskManager's Java heap is exhausted (Java heap space); give the TaskManagers"
            + " more heap (taskmanager.memory.task.heap.size, or scripts/flink-cluster start"
            + " --task-heap)",
        ErrorMessages.of(flink));
    assertTrue(ErrorMessages.isUserError(flink));
  }

  @Test
  public void aFullDiskNamesTheOutput() {
    assertEquals(
        "--output out: no space left on the device",
        ErrorMessages.writing(
            new RuntimeException(new IOException("No space left on device")), "--output out"));
  }

  @Test
  public void internalErrorsAreOneLineWithTheTraceInAFile() throws IOException {
    NullPointerException bug = new NullPointerException("slot is null");
    String message = ErrorMessages.of(new RuntimeException(bug));
    assertFalse(ErrorMessages.isUserError(bug));
    assertThat(
        message,
        startsWith(
            "internal error (NullPointerException: slot is null); this is"
                + " a bug in Fairbeam."));
    assertFalse(message.contains("\n"));
    Matcher file = Pattern.compile("written to (\\S+\\.log)$").matcher(message);
    assertTrue(message, file.find());
    Path trace = Path.of(file.group(1));
    assertThat(Files.readString(trace), containsString("at io.fairbeam.cli.ErrorMessagesTest"));
    Files.delete(trace);
  }

  @Test
  public void aCommandThatThrowsPrintsOneLineNamedAfterTheCommand() throws IOException {
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine evaluate =
        new picocli.CommandLine(new Fairbeam()).getSubcommands().get("evaluate");
    evaluate.setErr(new java.io.PrintWriter(err, true));
    assertEquals(
        Fairbeam.INTERNAL_ERROR, Fairbeam.failed(new IllegalStateException("a bug"), evaluate));
    assertThat(
        err.toString(),
        startsWith("fairbeam evaluate: internal error" + " (IllegalStateException: a bug)"));
    assertEquals(1, err.toString().strip().lines().count());
    Matcher file = Pattern.compile("written to (\\S+\\.log)").matcher(err.toString());
    assertTrue(file.find());
    Files.delete(Path.of(file.group(1)));
    err.getBuffer().setLength(0);
    assertEquals(1, Fairbeam.failed(new IOException("data.csv: line 3: bad"), evaluate));
    assertEquals("fairbeam evaluate: data.csv: line 3: bad", err.toString().strip());
  }
}
