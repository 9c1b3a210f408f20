package io.fairbeam.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
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
 * Evaluation data on real HDFS: Hadoop's MiniDFSCluster (a NameNode and a DataNode in this JVM),
 * Titanic as TFRecord shards under {@code hdfs://}, read by Beam's Hadoop filesystem on the Direct
 * Runner and on a local Flink cluster (its TaskManagers read HDFS themselves); the results equal
 * the local run's. An {@code hdfs://} output is refused with a sentence, and no local directory
 * named {@code hdfs:} appears.
 */
public class HdfsIT {
  @ClassRule public static TemporaryFolder temp = new TemporaryFolder();

  private static MiniDFSCluster hdfs;
  private static LocalFlinkCluster flink;
  private static String uri;
  private static Path local;

  @BeforeClass
  public static void start() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, temp.newFolder("hdfs").toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    uri = "hdfs://localhost:" + hdfs.getNameNodePort();
    FileSystems.setDefaultPipelineOptions(
        PipelineOptionsFactory.fromArgs(hdfsConfiguration()).as(HadoopFileSystemOptions.class));
    // Titanic in two TFRecord shards (the same file twice would double-count: first and second
    // half of the CSV's rows instead).
    Path csv = SharedData.file("titanic.csv");
    List<String> lines = Files.readAllLines(csv);
    int half = 1 + (lines.size() - 1) / 2;
    for (int shard = 0; shard < 2; shard++) {
      Path part = temp.getRoot().toPath().resolve("titanic-" + shard + ".csv");
      List<String> rows = new ArrayList<>(List.of(lines.get(0)));
      rows.addAll(shard == 0 ? lines.subList(1, half) : lines.subList(half, lines.size()));
      Files.write(part, rows);
      Path tfrecord = temp.getRoot().toPath().resolve("shards/titanic-" + shard + ".tfrecord.gz");
      Files.createDirectories(tfrecord.getParent());
      assertEquals(
          0, Fairbeam.run("convert", "--data", part.toString(), "--output", tfrecord.toString()));
      ResourceId target =
          FileSystems.matchNewResource(uri + "/data/titanic-" + shard + ".tfrecord.gz", false);
      try (InputStream in = Files.newInputStream(tfrecord);
          OutputStream out =
              Channels.newOutputStream(FileSystems.create(target, "application/octet-stream"))) {
        in.transferTo(out);
      }
    }
    local = evaluate(temp.getRoot().toPath().resolve("shards/*.tfrecord.gz").toString(), "local");
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

  private static Path evaluate(String data, String name, String... more) {
    Path out = temp.getRoot().toPath().resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluate",
                "--config",
                SharedData.projectRoot().resolve("configs/titanic.pbtxt").toString(),
                "--data",
                data,
                "--output",
                out.toString(),
                hdfsConfiguration()));
    args.addAll(List.of(more));
    assertEquals(0, Fairbeam.run(args.toArray(new String[0])));
    return out;
  }

  @Test
  public void directRunnerReadsHdfsAsItReadsLocalFiles() throws Exception {
    Path result = evaluate(uri + "/data/titanic-*.tfrecord.gz", "hdfs-direct");
    System.out.println(
        "Titanic from hdfs://, Direct Runner against local files: "
            + ResultComparison.assertSame(local, result));
  }

  @Test
  public void flinkClusterReadsHdfsAsItReadsLocalFiles() throws Exception {
    Path result =
        evaluate(
            uri + "/data/titanic-*.tfrecord.gz",
            "hdfs-flink",
            "--runner=FlinkRunner",
            "--flinkMaster=" + flink.master(),
            "--parallelism=2",
            "--jobName=fairbeam-it-hdfs");
    System.out.println(
        "Titanic from hdfs://, Flink cluster against local files: "
            + ResultComparison.assertSame(local, result));
  }

  @Test
  public void anHdfsOutputIsRefusedWithASentence() throws Exception {
    CapturedRun r =
        CapturedRun.of(
            "evaluate",
            "--config",
            SharedData.projectRoot().resolve("configs/titanic.pbtxt").toString(),
            "--data",
            uri + "/data/titanic-*.tfrecord.gz",
            "--output",
            uri + "/results/titanic",
            hdfsConfiguration());
    assertEquals(Fairbeam.USAGE, r.status());
    String message = r.err();
    assertThat(message, containsString("--output hdfs://…: results are written to a local"));
    assertEquals(1, message.strip().split("\n").length);
    assertFalse(Files.exists(Path.of("hdfs:")));
  }
}
