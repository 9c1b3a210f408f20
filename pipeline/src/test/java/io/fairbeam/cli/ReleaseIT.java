package io.fairbeam.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.fairbeam.beam.FairnessEval;
import io.fairbeam.io.EvalResultReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The release {@code mvn package} builds, {@code pipeline/target/fairbeam-VERSION.tar.gz}, as a
 * user meets it: unpacked into an empty directory, with Java alone on the {@code PATH} (no Maven,
 * no source tree, no home directory of ours), its demo runs and writes a complete result with its
 * report, and its launcher prints the version.
 */
public class ReleaseIT {
  @ClassRule public static TemporaryFolder temp = new TemporaryFolder();

  private static String run(Path cwd, List<String> command, int expectedExit)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    Path java = Path.of(System.getProperty("java.home"), "bin");
    env.put("PATH", java + ":/usr/bin:/bin");
    env.put("HOME", cwd.toString());
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("finished: " + command, process.waitFor(5, TimeUnit.MINUTES));
    assertEquals(output, expectedExit, process.exitValue());
    return output;
  }

  @Test
  public void theTarballRunsItsDemoWithJavaAlone() throws Exception {
    String name = "fairbeam-" + FairnessEval.VERSION_NUMBER;
    Path tarball = SharedData.projectRoot().resolve("pipeline/target/" + name + ".tar.gz");
    assertTrue(tarball + " (made by mvn package)", Files.isRegularFile(tarball));
    Path empty = temp.newFolder("user").toPath();
    run(empty, List.of("tar", "xzf", tarball.toString()), 0);
    Path home = empty.resolve(name);
    for (String part :
        List.of(
            "bin/fairbeam",
            "bin/fairbeam-demo",
            "fairbeam.jar",
            "fairbeam-job.jar",
            "lib",
            "configs/titanic.pbtxt",
            "data/titanic.csv",
            "data/README.md",
            "README.md")) {
      assertTrue(part, Files.exists(home.resolve(part)));
    }
    assertFalse("no sources", Files.exists(home.resolve("pom.xml")));
    assertTrue(Files.isExecutable(home.resolve("bin/fairbeam")));

    assertEquals(
        "fairbeam " + FairnessEval.VERSION_NUMBER,
        run(empty, List.of(home.resolve("bin/fairbeam").toString(), "--version"), 0).strip());
    String demo = run(empty, List.of(home.resolve("bin/fairbeam-demo").toString(), "demo"), 0);
    Path result = empty.resolve("demo/titanic-result");
    assertThat(demo, containsString("Report: " + result.resolve("report.html")));
    assertThat(demo, containsString("Examples evaluated: 891 of 891 records read"));
    assertFalse("no terminal escape codes", demo.contains("\u001b"));
    assertTrue(Files.isRegularFile(result.resolve("report.html")));
    assertEquals(891, EvalResultReader.runSummary(result).getExamplesEvaluated());
    assertEquals(12, EvalResultReader.metrics(result).size());
  }
}
