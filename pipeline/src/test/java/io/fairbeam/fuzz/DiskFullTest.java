package io.fairbeam.fuzz;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A full disk, on a 256 KiB tmpfs made for the test (a result with its report.html fits) (root
 * only, as in CI): an evaluation and a conversion whose output does not fit fail with a message
 * naming the output, and leave the previous result, the user's files and nothing else on the disk.
 */
public class DiskFullTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private Path disk;
  private boolean mounted;

  private static int run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  @Before
  public void mountSmallDisk() throws Exception {
    disk = temp.newFolder("disk").toPath();
    assumeTrue(
        "mounting a tmpfs needs root; this machine's user cannot",
        run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", disk.toString()) == 0);
    mounted = true;
  }

  @After
  public void unmount() throws Exception {
    if (mounted) {
      assertEquals(0, run("umount", disk.toString()));
    }
  }

  /** Fills the disk but {@code spare} bytes with a file of the user's. */
  private void fillLeaving(long spare) throws IOException {
    long free = Files.getFileStore(disk).getUsableSpace();
    Files.write(disk.resolve("users-file"), new byte[(int) Math.max(0, free - spare)]);
  }

  @Test
  public void fullDiskLeavesThePreviousStateAndNamesTheOutput() throws IOException {
    Path work = temp.getRoot().toPath();
    List<FuzzData.Row> rows = FuzzData.rows(new SplittableRandom(7), 2_000);
    Files.write(work.resolve("data.tfrecord"), FuzzData.tfrecord(FuzzData.serialized(rows)));
    Files.write(
        work.resolve("data.csv"), (String.join("\n", FuzzData.csvLines(rows)) + "\n").getBytes());
    Files.writeString(work.resolve("config.pbtxt"), FuzzData.CONFIG);
    Path output = disk.resolve("result");
    List<String> evaluate =
        List.of(
            "evaluate",
            "--config",
            work.resolve("config.pbtxt").toString(),
            "--data",
            work.resolve("data.tfrecord").toString(),
            "--output",
            output.toString());
    assertEquals(0, FuzzRunner.runCommand(evaluate).exit());
    Files.writeString(disk.resolve("out.tfrecord"), "the previous conversion");
    fillLeaving(2048);
    Map<String, String> before = FuzzRunner.snapshot(disk);

    FuzzRunner.Run failed = FuzzRunner.runCommand(evaluate);
    assertEquals(failed.stderr(), 1, failed.exit());
    assertThat(
        failed.stderr(),
        containsString("fairbeam evaluate: --output " + output + ": no space left on the device"));
    assertEquals(before, FuzzRunner.snapshot(disk));

    FuzzRunner.Run convert =
        FuzzRunner.runCommand(
            List.of(
                "convert",
                "--data",
                work.resolve("data.csv").toString(),
                "--output",
                disk.resolve("out.tfrecord").toString(),
                "--overwrite"));
    assertEquals(convert.stderr(), 1, convert.exit());
    assertThat(convert.stderr(), containsString("no space left on the device"));
    assertEquals(before, FuzzRunner.snapshot(disk));
  }
}
