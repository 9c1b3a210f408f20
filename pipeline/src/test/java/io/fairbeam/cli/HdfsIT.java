package io.fairbeam.cli;

import static io.fairbeam.cli.RemoteResults.ALL;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

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
  private static RemoteResults titanic;

  @BeforeClass
  public static void start() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, temp.newFolder("hdfs").toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    uri = "hdfs://localhost:" + hdfs.getNameNodePort();
    String configuration = "--hdfsConfiguration=[{\"fs.defaultFS\":\"" + uri + "\"}]";
    FileSystems.setDefaultPipelineOptions(
        PipelineOptionsFactory.fromArgs(configuration).as(HadoopFileSystemOptions.class));
    titanic = RemoteResults.titanic(temp.getRoot().toPath(), uri + "/data", List.of(configuration));
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

  @Test
  public void directRunnerReadsAndWritesHdfsAsItDoesLocalFiles() throws Exception {
    String output = titanic.evaluate(uri + "/data" + ALL, uri + "/results/direct");
    assertEquals(RemoteResults.localNames(titanic.local), RemoteResults.names(output + "/*"));
    System.out.println(
        "Titanic from and to hdfs://, Direct Runner against local files: "
            + ResultComparison.assertSame(titanic.local, titanic.fetch(output)));
    // Replaced by a second run, by rename, with nothing left beside it.
    titanic.evaluate(uri + "/data" + RemoteResults.FIRST_HALF, output);
    ResultComparison.assertSame(titanic.localFirstHalf, titanic.fetch(output));
    assertEquals(List.of(), RemoteResults.leftovers(output));
  }

  @Test
  public void flinkClusterReadsAndWritesHdfsAsItDoesLocalFiles() throws Exception {
    System.out.println(
        "Titanic from and to hdfs://, Flink cluster against local files: "
            + titanic.onFlink(flink, uri + "/data" + ALL, uri + "/results/flink"));
  }

  /**
   * The launcher killed at each step of a commit by rename: before it (the previous result stays),
   * between the renames (no result at all, the previous one aside under its hidden name) and after
   * them (the complete new result). The next run puts a result moved aside back, cleans up and
   * replaces it.
   */
  @Test
  public void aLauncherKilledDuringTheCommitLeavesNoResultThatLooksComplete() throws Exception {
    titanic.killAtEachStep(
        uri + "/data",
        uri + "/results/killed",
        List.of("staged", "moved-aside", "moved-in"),
        (step, output, left) -> {
          String aside =
              left.stream().filter(n -> n.contains(".fairbeam-old-")).findAny().orElse("");
          switch (step) {
            case "staged" -> {
              // Uploaded beside the output; the previous result untouched.
              ResultComparison.assertSame(titanic.localFirstHalf, titanic.fetch(output));
              assertEquals(step + ": " + left, 1, left.size());
              assertThat(left.get(0), containsString(".fairbeam-tmp-"));
            }
            case "moved-aside" -> {
              // No result at all; the previous one aside under its hidden name, the upload too.
              assertNotEquals(step, MatchResult.Status.OK, FileSystems.match(output).status());
              assertEquals(step + ": " + left, 2, left.size());
              ResultComparison.assertSame(
                  titanic.localFirstHalf,
                  titanic.fetch(output.substring(0, output.lastIndexOf('/') + 1) + aside));
            }
            default -> {
              // The complete new result; the previous one not yet deleted.
              ResultComparison.assertSame(titanic.local, titanic.fetch(output));
              assertEquals(step + ": " + left, List.of(aside), left);
            }
          }
        });
  }

  @Test
  public void anOutputHoldingTheInputOrForeignFilesOrAFileIsRefused() throws Exception {
    CapturedRun holdsInput = titanic.attempt(uri + "/data" + ALL, uri + "/data");
    assertEquals(Fairbeam.USAGE, holdsInput.status());
    assertThat(holdsInput.err(), containsString("contains the input " + uri + "/data/titanic-"));
    RemoteResults.write(uri + "/results/foreign/notes.txt", "mine");
    CapturedRun holdsForeign = titanic.attempt(uri + "/data" + ALL, uri + "/results/foreign");
    assertEquals(Fairbeam.USAGE, holdsForeign.status());
    assertThat(holdsForeign.err(), containsString("holds files that are not part of"));
    assertEquals(List.of("notes.txt"), RemoteResults.names(uri + "/results/foreign/*"));
    RemoteResults.write(uri + "/results/a-file", "mine");
    CapturedRun file = titanic.attempt(uri + "/data" + ALL, uri + "/results/a-file");
    assertEquals(Fairbeam.USAGE, file.status());
    assertThat(file.err(), containsString("exists and is not a directory"));
    assertEquals(List.of("a-file"), RemoteResults.names(uri + "/results/a-file"));
  }
}
