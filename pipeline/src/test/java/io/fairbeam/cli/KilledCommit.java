package io.fairbeam.cli;

import static org.junit.Assert.fail;

import io.fairbeam.io.RemoteResultDirectory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code fairbeam evaluate} in a child JVM, killed with SIGKILL once its commit of a remote result
 * reaches a chosen step: what a launcher killed during the commit leaves behind.
 */
final class KilledCommit {
  private static final String REACHED = "fairbeam-test: commit step ";

  private KilledCommit() {}

  /** The child: {@code STEP fairbeam-arguments…}; says when STEP is reached, then waits. */
  public static void main(String[] args) throws InterruptedException {
    String stop = args[0];
    RemoteResultDirectory.onCommitStep(
        step -> {
          if (step.equals(stop)) {
            System.out.println(REACHED + step);
            System.out.flush();
            try {
              Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    String[] rest = new String[args.length - 1];
    System.arraycopy(args, 1, rest, 0, rest.length);
    System.exit(Fairbeam.run(rest));
  }

  /**
   * Runs {@code fairbeam args…} in a child JVM on this JVM's class path and kills it when its
   * commit reaches {@code step}; fails if the child ends before that. Its stderr goes to {@code
   * log}.
   */
  static void at(String step, Path log, List<String> args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                KilledCommit.class.getName(),
                step));
    command.addAll(args);
    Process child =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    boolean reached = false;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.equals(REACHED + step)) {
          reached = true;
          break;
        }
      }
      child.destroyForcibly();
      if (!child.waitFor(60, TimeUnit.SECONDS)) {
        fail("the child did not die");
      }
    }
    if (!reached) {
      fail(
          "the child ended (status "
              + child.exitValue()
              + ") before its commit reached "
              + step
              + ":\n"
              + Files.readString(log));
    }
  }
}
