package io.fairbeam.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import io.fairbeam.io.RemoteResultDirectory;
import io.fairbeam.io.ResultFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Evaluation data and results on an object store: S3Proxy (a real S3 server over HTTP, on Apache
 * jclouds' in-memory store) in its own process, reached by Beam's S3 filesystem with path-style
 * addressing. Titanic is read from {@code s3://} and the result written there, committed by copy
 * with {@code fairbeam_run.json} last, from the Direct Runner and from a local Flink cluster's
 * TaskManagers; the values equal the local run's. A launcher killed during the copy leaves a result
 * without its marker, which Fairbeam's reader refuses, holding only files of the new result, and
 * the next run finishes the copy from the complete upload.
 */
public class S3IT {
  @ClassRule public static TemporaryFolder temp = new TemporaryFolder();

  private static final String BUCKET = "s3://fairbeam";
  private static final String DATA = BUCKET + "/data";
  private static final String ALL = DATA + RemoteResults.ALL;

  private static Process s3proxy;
  private static LocalFlinkCluster flink;
  private static RemoteResults titanic;

  @BeforeClass
  public static void start() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    Path properties = temp.newFile("s3proxy.properties").toPath();
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=" + endpoint,
            "s3proxy.authorization=none",
            // Beam always sends x-amz-server-side-encryption-bucket-key-enabled, which S3Proxy
            // does not implement; ignored here, as S3 ignores it without encryption.
            "s3proxy.ignore-unknown-headers=true",
            "jclouds.provider=transient",
            "jclouds.identity=local",
            "jclouds.credential=local",
            ""));
    Path jar = SharedData.projectRoot().resolve("pipeline/target/s3proxy/s3proxy.jar");
    s3proxy =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--properties",
                properties.toString())
            .redirectErrorStream(true)
            .redirectOutput(temp.newFile("s3proxy.log"))
            .start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        HttpResponse<String> bucket =
            http.send(
                HttpRequest.newBuilder(URI.create(endpoint + "/fairbeam"))
                    .PUT(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(bucket.body(), 200, bucket.statusCode());
        break;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline || !s3proxy.isAlive()) {
          throw new AssertionError("S3Proxy did not start", notYet);
        }
        Thread.sleep(200);
      }
    }
    List<String> s3Options =
        List.of(
            "--awsRegion=us-east-1",
            "--endpoint=" + endpoint,
            "--s3ClientFactoryClass=io.fairbeam.s3.PathStyleS3Clients",
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                + "\"accessKeyId\":\"local\",\"secretAccessKey\":\"local\"}");
    PipelineOptionsFactory.register(S3Options.class);
    FileSystems.setDefaultPipelineOptions(
        PipelineOptionsFactory.fromArgs(s3Options.toArray(new String[0])).create());
    titanic = RemoteResults.titanic(temp.getRoot().toPath(), DATA, s3Options);
    flink = LocalFlinkCluster.start(temp.newFolder("flink").toPath(), 2, 1);
  }

  @AfterClass
  public static void stop() throws Exception {
    if (flink != null) {
      flink.stop();
    }
    if (s3proxy != null) {
      s3proxy.destroyForcibly().waitFor();
    }
  }

  @Test
  public void directRunnerReadsAndWritesS3AsItDoesLocalFiles() throws Exception {
    String output = titanic.evaluate(ALL, BUCKET + "/results/direct");
    assertEquals(RemoteResults.localNames(titanic.local), RemoteResults.names(output + "/*"));
    System.out.println(
        "Titanic from and to s3://, Direct Runner against local files: "
            + ResultComparison.assertSame(titanic.local, titanic.fetch(output)));
    // `fairbeam report` of the remote result renders the page the run wrote into it.
    Path html = temp.getRoot().toPath().resolve("direct-report.html");
    CapturedRun report = titanic.report(output, html);
    assertEquals(report.err(), 0, report.status());
    assertEquals(
        Files.readString(titanic.fetch(output).resolve(ResultFiles.REPORT)),
        Files.readString(html));
    // Replaced by copy: a file of the previous result that the new one lacks goes.
    RemoteResults.write(output + "/attributions-00000-of-00001.tfrecord", "");
    titanic.evaluate(DATA + RemoteResults.FIRST_HALF, output);
    ResultComparison.assertSame(titanic.localFirstHalf, titanic.fetch(output));
    assertEquals(
        RemoteResults.localNames(titanic.localFirstHalf), RemoteResults.names(output + "/*"));
    assertEquals(List.of(), RemoteResults.leftovers(output));
  }

  @Test
  public void flinkClusterReadsAndWritesS3AsItDoesLocalFiles() throws Exception {
    System.out.println(
        "Titanic from and to s3://, Flink cluster against local files: "
            + titanic.onFlink(flink, ALL, BUCKET + "/results/flink"));
  }

  /**
   * The launcher killed at each step of a commit by copy: before it (the previous result stays),
   * once the previous result's files are gone, and with every file but the marker copied. The next
   * preparation of the output finishes the copy from the complete upload.
   */
  @Test
  public void aLauncherKilledDuringTheCopyLeavesAResultMarkedIncomplete() throws Exception {
    titanic.killAtEachStep(
        DATA,
        BUCKET + "/results/killed",
        List.of("staged", "cleared", "copied"),
        (step, output, left) -> {
          assertEquals(step + ": " + left, 1, left.size());
          assertThat(left.get(0), containsString(".fairbeam-tmp-"));
          if (step.equals("staged")) {
            ResultComparison.assertSame(titanic.localFirstHalf, titanic.fetch(output));
            return;
          }
          // Only files of the new result, never a mixture: none yet, or all but the marker.
          List<String> all = new ArrayList<>(RemoteResults.localNames(titanic.local));
          all.remove(ResultFiles.RUN_SUMMARY);
          assertEquals(
              step, step.equals("copied") ? all : List.of(), RemoteResults.names(output + "/*"));
          IOException refused = assertThrows(IOException.class, () -> titanic.fetch(output));
          assertThat(refused.getMessage(), containsString("holds no complete result"));
          Path html = temp.getRoot().toPath().resolve("killed-" + step + ".html");
          CapturedRun report = titanic.report(output, html);
          assertEquals(Fairbeam.FAILED, report.status());
          assertThat(report.err(), containsString("holds no complete result"));
          assertFalse(Files.exists(html));
          // The next run's preparation finishes the killed run's copy.
          RemoteResultDirectory.prepare(output, List.of());
          ResultComparison.assertSame(titanic.local, titanic.fetch(output));
          assertEquals(List.of(), RemoteResults.leftovers(output));
        });
  }

  /** Uploads of several killed runs, with the same file names, all go; the result stays. */
  @Test
  public void theLeftoversOfSeveralKilledRunsAllGo() throws Exception {
    String output = titanic.evaluate(DATA + RemoteResults.FIRST_HALF, BUCKET + "/results/left");
    for (String run : List.of("a", "b", "c")) {
      for (String file : List.of("metrics-00000-of-00001.tfrecord", "report.html")) {
        RemoteResults.write(BUCKET + "/results/.left.fairbeam-tmp-" + run + "/" + file, run);
      }
    }
    assertEquals(3, RemoteResults.leftovers(output).size());
    RemoteResultDirectory.prepare(output, List.of());
    assertEquals(List.of(), RemoteResults.leftovers(output));
    ResultComparison.assertSame(titanic.localFirstHalf, titanic.fetch(output));
  }

  @Test
  public void aBucketRootOrAnOutputWithForeignFilesIsRefused() throws Exception {
    CapturedRun root = titanic.attempt(ALL, BUCKET);
    assertEquals(Fairbeam.USAGE, root.status());
    assertThat(root.err(), containsString("a bucket or filesystem root cannot be an output"));
    RemoteResults.write(BUCKET + "/results/foreign/notes.txt", "mine");
    CapturedRun foreign = titanic.attempt(ALL, BUCKET + "/results/foreign");
    assertEquals(Fairbeam.USAGE, foreign.status());
    assertThat(foreign.err(), containsString("holds files that are not part of"));
    assertEquals(List.of("notes.txt"), RemoteResults.names(BUCKET + "/results/foreign/*"));
  }
}
