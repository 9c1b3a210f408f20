package io.fairbeam.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.hdfs.HadoopFileSystemOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Evaluation data and results on real HDFS: Hadoop's MiniDFSCluster (a NameNode and a DataNode in
 * this JVM), Titanic as TFRecord shards under {@code hdfs://}, read by Beam's Hadoop filesystem on
 * the Direct Runner and on a local Flink cluster (its TaskManagers read and write HDFS themselves),
 * the result written to {@code hdfs://} and committed by rename; the results equal the local run's.
 * A launcher killed at each step of the commit leaves the previous result, no result, or the
 * complete new one, never one that looks complete and is not, and the next run cleans up.
 */
public class HdfsIT {
  @ClassRule public static TemporaryFolder temp = new TemporaryFolder();

  private static MiniDFSCluster hdfs;
  private static LocalFlinkCluster flink;
  private static String uri;
  private static Path local;
  private static Path localFirstHalf;

  @BeforeClass
  public static void start() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, temp.newFolder("hdfs").toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    uri = "hdfs://localhost:" + hdfs.getNameNodePort();
    FileSystems.setDefaultPipelineOptions(
        PipelineOptionsFactory.fromArgs(hdfsConfiguration()).as(HadoopFileSystemOptions.class));
    RemoteResults.uploadTitanicShards(temp.getRoot().toPath(), uri + "/data");
    String root = temp.getRoot().toString();
    local = Path.of(evaluate(root + "/shards/*.tfrecord.gz", root + "/local"));
    localFirstHalf = Path.of(evaluate(root + "/shards/titanic-0.tfrecord.gz", root + "/local-0"));
    flink = LocalFlinkCluster.start(temp.newFolder("flink").toPath(), 2, 1);
  }

  @AfterClass
  public static void stop() throws Exception {
    if (flink != null) {
      flink.stop();
    }
    if (hdfs != null) {
      hdfs.shutdown();
    }
  }

  private static String hdfsConfiguration() {
    return "--hdfsConfiguration=[{\"fs.defaultFS\":\"" + uri + "\"}]";
  }

  private static List<String> evaluateArgs(String data, String output, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluate",
                "--config",
                SharedData.projectRoot().resolve("configs/titanic.pbtxt").toString(),
                "--data",
                data,
                "--output",
                output,
                hdfsConfiguration()));
    args.addAll(List.of(more));
    return args;
  }

  private static String evaluate(String data, String output, String... more) {
    CapturedRun run = CapturedRun.of(evaluateArgs(data, output, more).toArray(new String[0]));
    assertEquals(run.err(), 0, run.status());
    return output;
  }

  private static Path fetch(String url) throws IOException {
    return RemoteResults.fetch(temp.getRoot().toPath(), url);
  }

  private static final String ALL = "/data/titanic-*.tfrecord.gz";
  private static final String FIRST_HALF = "/data/titanic-0.tfrecord.gz";

  @Test
  public void directRunnerReadsAndWritesHdfsAsItDoesLocalFiles() throws Exception {
    String output = evaluate(uri + ALL, uri + "/results/direct");
    assertEquals(RemoteResults.localNames(local), RemoteResults.names(output + "/*"));
    System.out.println(
        "Titanic from and to hdfs://, Direct Runner against local files: "
            + ResultComparison.assertSame(local, fetch(output)));
    // Replaced by a second run, by rename, with nothing left beside it.
    evaluate(uri + FIRST_HALF, output);
    ResultComparison.assertSame(localFirstHalf, fetch(output));
    assertEquals(List.of(), RemoteResults.leftovers(output));
  }

  @Test
  public void flinkClusterReadsAndWritesHdfsAsItDoesLocalFiles() throws Exception {
    String output =
        evaluate(
            uri + ALL,
            uri + "/results/flink",
            "--runner=FlinkRunner",
            "--flinkMaster=" + flink.master(),
            "--parallelism=2",
            "--jobName=fairbeam-it-hdfs");
    System.out.println(
        "Titanic from and to hdfs://, Flink cluster against local files: "
            + ResultComparison.assertSame(local, fetch(output)));
    assertEquals(List.of(), RemoteResults.leftovers(output));
  }

  /**
   * The launcher killed at each step of a commit by rename: before it (the previous result stays),
   * between the renames (no result at all, the previous one aside under its hidden name) and after
   * them (the complete new result). The next run puts a result moved aside back, cleans up and
   * replaces it.
   */
  @Test
  public void aLauncherKilledDuringTheCommitLeavesNoResultThatLooksComplete() throws Exception {
    for (String step : List.of("staged", "moved-aside", "moved-in")) {
      String output = evaluate(uri + FIRST_HALF, uri + "/results/killed-" + step);
      Path log = temp.getRoot().toPath().resolve("killed-" + step + ".log");
      KilledCommit.at(step, log, evaluateArgs(uri + ALL, output));
      List<String> left = RemoteResults.leftovers(output);
      String aside = left.stream().filter(n -> n.contains(".fairbeam-old-")).findAny().orElse("");
      switch (step) {
        case "staged" -> {
          // Uploaded beside the output; the previous result untouched.
          ResultComparison.assertSame(localFirstHalf, fetch(output));
          assertEquals(step + ": " + left, 1, left.size());
          assertThat(left.get(0), containsString(".fairbeam-tmp-"));
        }
        case "moved-aside" -> {
          // No result at all; the previous one aside under its hidden name, the upload beside it.
          assertNotEquals(step, MatchResult.Status.OK, FileSystems.match(output).status());
          assertEquals(step + ": " + left, 2, left.size());
          ResultComparison.assertSame(
              localFirstHalf, fetch(output.replace("killed-" + step, aside)));
        }
        default -> {
          // The complete new result; the previous one not yet deleted.
          ResultComparison.assertSame(local, fetch(output));
          assertEquals(step + ": " + left, List.of(aside), left);
        }
      }
      // The next run into the output recovers and replaces it.
      evaluate(uri + ALL, output);
      ResultComparison.assertSame(local, fetch(output));
      assertEquals(List.of(), RemoteResults.leftovers(output));
    }
  }

  @Test
  public void anOutputHoldingTheInputOrForeignFilesOrAFileIsRefused() throws Exception {
    CapturedRun holdsInput =
        CapturedRun.of(evaluateArgs(uri + ALL, uri + "/data").toArray(new String[0]));
    assertEquals(Fairbeam.USAGE, holdsInput.status());
    assertThat(holdsInput.err(), containsString("contains the input " + uri + "/data/titanic-"));
    RemoteResults.write(uri + "/results/foreign/notes.txt", "mine");
    CapturedRun holdsForeign =
        CapturedRun.of(evaluateArgs(uri + ALL, uri + "/results/foreign").toArray(new String[0]));
    assertEquals(Fairbeam.USAGE, holdsForeign.status());
    assertThat(holdsForeign.err(), containsString("holds files that are not part of"));
    assertEquals(List.of("notes.txt"), RemoteResults.names(uri + "/results/foreign/*"));
    RemoteResults.write(uri + "/results/a-file", "mine");
    CapturedRun file =
        CapturedRun.of(evaluateArgs(uri + ALL, uri + "/results/a-file").toArray(new String[0]));
    assertEquals(Fairbeam.USAGE, file.status());
    assertThat(file.err(), containsString("exists and is not a directory"));
    assertEquals(List.of("a-file"), RemoteResults.names(uri + "/results/a-file"));
  }
}
