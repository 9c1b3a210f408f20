package io.fairbeam.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.fairbeam.extract.TFRecordReader;
import io.fairbeam.extract.TFRecordWriter;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.tfma.MetricsForSlice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Runs the Titanic and Adult evaluations on a real standalone Flink 1.19 cluster (a JobManager and
 * two TaskManagers of one slot each, separate JVMs started by {@code scripts/flink-cluster}) and on
 * the Direct Runner, and compares every metric and plot of every slice; Titanic also on the
 * embedded Flink ({@code --flinkMaster=[local]}). The sharded Adult run also checks, from the
 * per-subtask accumulators Flink's REST API reports, that the reading was spread over both
 * TaskManagers, each reading a fair share of the records. With confidence intervals on, a rerun and
 * the cluster give byte-identical intervals.
 */
public class FlinkClusterIT {
  @ClassRule public static TemporaryFolder temp = new TemporaryFolder();

  private static LocalFlinkCluster cluster;

  @BeforeClass
  public static void startCluster() throws Exception {
    cluster = LocalFlinkCluster.start(temp.newFolder("cluster").toPath(), 2, 1);
  }

  @AfterClass
  public static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.stop();
    }
  }

  @Test
  public void titanicOnClusterEqualsDirectRunner() throws Exception {
    Path tfrecord = temp.getRoot().toPath().resolve("titanic.tfrecord.gz");
    assertEquals(
        0,
        Fairbeam.run(
            "convert",
            "--data",
            SharedData.file("titanic.csv").toString(),
            "--output",
            tfrecord.toString()));
    Path direct = evaluate("titanic.pbtxt", tfrecord.toString(), "titanic-direct");
    Path flink =
        evaluate(
            "titanic.pbtxt",
            tfrecord.toString(),
            "titanic-flink",
            "--runner=FlinkRunner",
            "--flinkMaster=" + cluster.master(),
            "--parallelism=2",
            "--jobName=fairbeam-it-titanic");
    System.out.println(
        "Titanic, Flink against Direct Runner: " + ResultComparison.assertSame(direct, flink));
  }

  /**
   * Candidate against baseline with TensorFlow Java on the cluster, twice: TensorFlow's native
   * library is loaded once per TaskManager JVM, so the second job must reuse it, not crash.
   */
  @Test
  public void modelsOnClusterEqualDirectRunnerJobAfterJob() throws Exception {
    Path root = SharedData.projectRoot();
    String data = root.resolve("models/fixtures/celeba.tfrecord.gz").toString();
    String[] models = {
      "--model",
      "candidate=" + root.resolve("models/cnn_reweighted"),
      "--model",
      "baseline=" + root.resolve("models/cnn_plain")
    };
    Path direct = evaluate("celeba-models.pbtxt", data, "models-direct", models);
    for (int run = 1; run <= 2; run++) {
      List<String> args = new ArrayList<>(List.of(models));
      args.addAll(
          List.of("--runner=FlinkRunner", "--flinkMaster=" + cluster.master(), "--parallelism=2"));
      Path flink =
          evaluate("celeba-models.pbtxt", data, "models-flink-" + run, args.toArray(new String[0]));
      System.out.println(
          "CelebA models, Flink run "
              + run
              + " against Direct Runner: "
              + ResultComparison.assertSame(direct, flink));
    }
  }

  /** A corrupt record fails the cluster job as it fails locally, and nothing is written. */
  @Test
  public void corruptRecordOnClusterFailsTheRunAndWritesNothing() throws Exception {
    Path plain = temp.getRoot().toPath().resolve("titanic-plain.tfrecord");
    assertEquals(
        0,
        Fairbeam.run(
            "convert",
            "--data",
            SharedData.file("titanic.csv").toString(),
            "--output",
            plain.toString()));
    byte[] bytes = Files.readAllBytes(plain);
    bytes[bytes.length / 2] ^= (byte) 0xff;
    Path corrupt = temp.getRoot().toPath().resolve("titanic-corrupt.tfrecord");
    Files.write(corrupt, bytes);
    Path out = temp.getRoot().toPath().resolve("corrupt-flink");
    assertEquals(
        1,
        Fairbeam.run(
            "evaluate",
            "--config",
            SharedData.projectRoot().resolve("configs/titanic.pbtxt").toString(),
            "--data",
            corrupt.toString(),
            "--output",
            out.toString(),
            "--runner=FlinkRunner",
            "--flinkMaster=" + cluster.master(),
            "--parallelism=2"));
    assertTrue("no output after a failed cluster job", !Files.exists(out));
    try (var siblings = Files.list(temp.getRoot().toPath())) {
      assertTrue(
          "no temporary directory left",
          siblings.noneMatch(p -> p.getFileName().toString().startsWith(".corrupt-flink.")));
    }
  }

  @Test
  public void titanicOnEmbeddedFlinkEqualsDirectRunner() throws Exception {
    Path csv = SharedData.file("titanic.csv");
    Path direct = evaluate("titanic.pbtxt", csv.toString(), "titanic-csv-direct");
    Path embedded =
        evaluate(
            "titanic.pbtxt",
            csv.toString(),
            "titanic-csv-embedded",
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--parallelism=2");
    System.out.println(
        "Titanic CSV, embedded Flink against Direct Runner: "
            + ResultComparison.assertSame(direct, embedded));
  }

  @Test
  public void shardedAdultOnClusterEqualsDirectRunnerAndSpreadsTheReading() throws Exception {
    Path shards = temp.newFolder("adult-shards").toPath();
    long records = shardedAdult(shards, 32);
    String pattern = shards.resolve("adult-*.tfrecord").toString();
    Path direct = evaluate("adult.pbtxt", pattern, "adult-direct");
    String jobName = "fairbeam-it-adult";
    Path flink =
        evaluate(
            "adult.pbtxt",
            pattern,
            "adult-flink",
            "--runner=FlinkRunner",
            "--flinkMaster=" + cluster.master(),
            "--parallelism=2",
            "--jobName=" + jobName);
    System.out.println(
        "Adult (32 shards), Flink against Direct Runner: "
            + ResultComparison.assertSame(direct, flink));

    Map<String, Long> perSubtask = assertBothSubtasksRead(jobName, records);
    Set<String> taskManagers = new HashSet<>();
    perSubtask.keySet().forEach(k -> taskManagers.add(k.substring(k.indexOf('@') + 1)));
    assertEquals("TaskManagers that read " + perSubtask.keySet(), 2, taskManagers.size());
  }

  /**
   * One Adult TFRecord file, cut into byte ranges (of at least 64 KiB), is read by both subtasks of
   * the cluster, and the result equals the Direct Runner's of the file read whole.
   */
  @Test
  public void oneFileOnClusterIsReadInRangesByEverySubtask() throws Exception {
    Path folder = temp.newFolder("adult-one-file").toPath();
    long records = shardedAdult(folder, 1);
    String file = folder.resolve("adult-00000-of-00001.tfrecord").toString();
    Path whole = evaluate("adult.pbtxt", file, "adult-one-direct", "--splitFiles=false");
    String jobName = "fairbeam-it-adult-one-file";
    Path flink =
        evaluate(
            "adult.pbtxt",
            file,
            "adult-one-flink",
            "--runner=FlinkRunner",
            "--flinkMaster=" + cluster.master(),
            "--parallelism=2",
            "--minRangeBytes=65536",
            "--jobName=" + jobName);
    System.out.println(
        "Adult (one file in ranges), Flink against the Direct Runner reading it whole: "
            + ResultComparison.assertSame(whole, flink));
    assertEquals(1, EvalResultReader.runSummary(flink).getFilesReadInRanges());
    assertBothSubtasksRead(jobName, records);
  }

  /**
   * Requires that two subtasks of job {@code jobName} read the {@code records}, each at least a
   * quarter of them; returns the records read per subtask.
   */
  private Map<String, Long> assertBothSubtasksRead(String jobName, long records) throws Exception {
    Map<String, Long> perSubtask = recordsReadPerSubtask(jobName);
    System.out.println("records read per subtask (TaskManager endpoint): " + perSubtask);
    assertEquals("subtasks that read", 2, perSubtask.size());
    assertEquals(
        "records read in all",
        records,
        perSubtask.values().stream().mapToLong(Long::longValue).sum());
    for (Map.Entry<String, Long> subtask : perSubtask.entrySet()) {
      assertTrue(
          subtask + " read less than a quarter of " + records, subtask.getValue() >= records / 4);
    }
    return perSubtask;
  }

  /**
   * Confidence intervals (jackknife and Poisson bootstrap, with cross-slice comparisons) of the
   * sharded, weighted Adult data: a rerun on the Direct Runner and a run on the cluster at
   * parallelism 2 give byte-identical intervals, because records are assigned to samples by a hash
   * of their file and position, never by a generator, and the sums involved are exact.
   */
  @Test
  public void intervalsAreByteIdenticalOnRerunAndOnTheCluster() throws Exception {
    Path shards = temp.newFolder("adult-ci-shards").toPath();
    shardedAdult(shards, 8);
    String pattern = shards.resolve("adult-*.tfrecord").toString();
    for (String method : new String[] {"JACKKNIFE", "POISSON_BOOTSTRAP"}) {
      Path config = temp.getRoot().toPath().resolve("adult-" + method + ".pbtxt");
      Files.writeString(
          config,
          String.join(
              "\n",
              "model_specs { label_key: 'income_gt_50k' prediction_key: 'predicted'"
                  + " example_weight_key: 'fnlwgt' }",
              "metrics_specs {",
              "  metrics { class_name: 'ExampleCount' }",
              "  metrics { class_name: 'WeightedExampleCount' }",
              "  metrics { class_name: 'AUC' }",
              "  metrics { class_name: 'FairnessIndicators' config: '{\"thresholds\": [0.5]}' }",
              "}",
              "slicing_specs {} slicing_specs { feature_keys: 'sex' }"
                  + " slicing_specs { feature_keys: 'race' }",
              "cross_slicing_specs { baseline_spec { } slicing_specs { feature_keys: 'race' } }",
              "options { compute_confidence_intervals { value: true }",
              "  confidence_intervals { method: " + method + " seed: 11 } }"));
      Path first = evaluate(config.toString(), pattern, "adult-ci-direct-" + method);
      Path rerun = evaluate(config.toString(), pattern, "adult-ci-rerun-" + method);
      Path flink =
          evaluate(
              config.toString(),
              pattern,
              "adult-ci-flink-" + method,
              "--runner=FlinkRunner",
              "--flinkMaster=" + cluster.master(),
              "--parallelism=2");
      Map<String, String> intervals = intervals(first);
      assertTrue(method + ": intervals written", intervals.size() > 100);
      assertTrue(
          method + ": cross-slice intervals written",
          intervals.keySet().stream().anyMatch(k -> k.contains(" vs ")));
      assertEquals(method + ": rerun", intervals, intervals(rerun));
      assertEquals(method + ": Flink cluster", intervals, intervals(flink));
      System.out.println(
          method
              + ": "
              + intervals.size()
              + " intervals byte-identical on a rerun and on the cluster; "
              + ResultComparison.assertSame(first, flink));
    }
  }

  /** Every confidence interval of a result, by slice and metric key, as its serialized bytes. */
  private static Map<String, String> intervals(Path result) throws IOException {
    Map<String, String> intervals = new TreeMap<>();
    for (MetricsForSlice metrics : EvalResultReader.metrics(result)) {
      for (MetricsForSlice.MetricKeyAndValue kv : metrics.getMetricKeysAndValuesList()) {
        if (kv.hasConfidenceInterval()) {
          intervals.put(
              ResultComparison.name(metrics) + " " + kv.getKey().toString().replace('\n', ' '),
              Base64.getEncoder().encodeToString(kv.getConfidenceInterval().toByteArray()));
        }
      }
    }
    return intervals;
  }

  private Path evaluate(String config, String data, String name, String... runnerArgs) {
    Path out = temp.getRoot().toPath().resolve(name);
    Path configFile =
        Path.of(config).isAbsolute()
            ? Path.of(config)
            : SharedData.projectRoot().resolve("configs").resolve(config);
    List<String> args =
        new ArrayList<>(
            List.of(
                "evaluate",
                "--config",
                configFile.toString(),
                "--data",
                data,
                "--output",
                out.toString()));
    args.addAll(List.of(runnerArgs));
    assertEquals(name + " exit code", 0, Fairbeam.run(args.toArray(new String[0])));
    return out;
  }

  /** Converts the Adult CSV and deals it into {@code count} shards in {@code folder}. */
  private static long shardedAdult(Path folder, int count) throws IOException {
    Path single = folder.resolve("all.tfrecord.tmp");
    assertEquals(
        0,
        Fairbeam.run(
            "convert",
            "--data",
            SharedData.file("adult.csv").toString(),
            "--output",
            single.toString()));
    long records = shard(single, folder, count);
    Files.delete(single);
    return records;
  }

  /** Deals the records of {@code file} round-robin into {@code count} TFRecord shards. */
  private static long shard(Path file, Path folder, int count) throws IOException {
    List<TFRecordWriter> writers = new ArrayList<>();
    List<OutputStream> streams = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      OutputStream out =
          Files.newOutputStream(
              folder.resolve(String.format("adult-%05d-of-%05d.tfrecord", i, count)));
      streams.add(out);
      writers.add(new TFRecordWriter(out));
    }
    long records = 0;
    try (InputStream in = Files.newInputStream(file);
        TFRecordReader reader = TFRecordReader.open(in, file.toString())) {
      for (int length = reader.next(); length >= 0; length = reader.next()) {
        writers.get((int) (records++ % count)).write(reader.buffer(), 0, length);
      }
    }
    for (TFRecordWriter writer : writers) {
      writer.close();
    }
    return records;
  }

  /**
   * The {@code records_read} counter of Fairbeam's read step per subtask, keyed "subtask
   * N@endpoint", from the job's per-subtask accumulators in Flink's REST API (kept after the job
   * finished). Beam reports its counters there as the accumulator {@code __metricscontainers}, with
   * each value a base64 varint.
   */
  private static Map<String, Long> recordsReadPerSubtask(String jobName) throws Exception {
    String jobId = null;
    for (Value job :
        json(cluster.rest("/jobs/overview"))
            .getFieldsOrThrow("jobs")
            .getListValue()
            .getValuesList()) {
      Struct fields = job.getStructValue();
      if (fields.getFieldsOrThrow("name").getStringValue().equals(jobName)) {
        assertEquals("job state", "FINISHED", fields.getFieldsOrThrow("state").getStringValue());
        jobId = fields.getFieldsOrThrow("jid").getStringValue();
      }
    }
    assertTrue("no job named " + jobName + " on the cluster", jobId != null);
    Map<String, Long> result = new TreeMap<>();
    for (Value vertex :
        json(cluster.rest("/jobs/" + jobId))
            .getFieldsOrThrow("vertices")
            .getListValue()
            .getValuesList()) {
      String vertexId = vertex.getStructValue().getFieldsOrThrow("id").getStringValue();
      Struct accumulators =
          json(cluster.rest("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/accumulators"));
      for (Value subtask :
          accumulators.getFieldsOrThrow("subtasks").getListValue().getValuesList()) {
        Struct s = subtask.getStructValue();
        for (Value accumulator :
            s.getFieldsOrThrow("user-accumulators").getListValue().getValuesList()) {
          Struct a = accumulator.getStructValue();
          if (!a.getFieldsOrThrow("name").getStringValue().equals("__metricscontainers")) {
            continue;
          }
          Struct metrics = json(a.getFieldsOrThrow("value").getStringValue());
          for (Value metric :
              metrics
                  .getFieldsOrThrow("metrics")
                  .getStructValue()
                  .getFieldsOrDefault("attempted", Value.getDefaultInstance())
                  .getListValue()
                  .getValuesList()) {
            Struct m = metric.getStructValue();
            Struct labels = m.getFieldsOrThrow("labels").getStructValue();
            if (labels
                .getFieldsOrDefault("NAME", Value.getDefaultInstance())
                .getStringValue()
                .equals("records_read")) {
              long value =
                  CodedInputStream.newInstance(
                          Base64.getDecoder()
                              .decode(m.getFieldsOrThrow("payload").getStringValue()))
                      .readInt64();
              String key =
                  "subtask "
                      + (long) s.getFieldsOrThrow("subtask").getNumberValue()
                      + "@"
                      + s.getFieldsOrThrow("endpoint").getStringValue();
              result.merge(key, value, Long::sum);
            }
          }
        }
      }
    }
    return result;
  }

  private static Struct json(String text) throws IOException {
    Struct.Builder builder = Struct.newBuilder();
    JsonFormat.parser().merge(text, builder);
    return builder.build();
  }
}
