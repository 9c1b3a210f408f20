package io.fairbeam.cli;

import io.fairbeam.config.ConfigException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.FileStagingOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.construction.resources.PipelineResources;

/**
 * The files a job stages on a remote Flink cluster or on Dataflow. Left to itself, a Beam runner
 * uploads every jar on the launcher's class path (300 MB and more with Flink and TensorFlow's
 * native library) on every run. To a Flink cluster Fairbeam stages the one shaded job jar the build
 * makes beside the program ({@code pipeline/target/fairbeam-job.jar}: Fairbeam, Beam and their
 * libraries, without Flink, which the cluster has); to Dataflow, which builds its workers' class
 * path from the staged jars, the class path without the jars its workers never load (Flink, the
 * Direct Runner, Hadoop). TensorFlow's native library goes only when a model is evaluated.
 */
final class JobFiles {
  static final String JOB_JAR = "fairbeam-job.jar";

  /** Resources of TensorFlow Java's native jars (CPU and CUDA builds), to find the jar by. */
  private static final List<String> TENSORFLOW_NATIVE_RESOURCES =
      List.of(
          "org/tensorflow/internal/c_api/linux-x86_64/libjnitensorflow.so",
          "org/tensorflow/internal/c_api/linux-x86_64-gpu/libjnitensorflow.so");

  /** TensorFlow's native library jar, e.g. tensorflow-core-native-1.1.0-linux-x86_64.jar. */
  private static final Pattern TENSORFLOW_NATIVE_JAR =
      Pattern.compile("tensorflow-core-native-.*-(linux|macosx|windows)-.*\\.jar");

  private JobFiles() {}

  /**
   * Sets {@code --filesToStage} on {@code options} when they submit to a remote Flink cluster and
   * the user ({@code args}) did not name the files.
   */
  static void apply(PipelineOptions options, List<String> args, boolean modelsRun) {
    if (RunnerDefaults.given(args, "filesToStage")) {
      return;
    }
    if (submitsToDataflow(options)) {
      List<String> staged =
          forDataflow(
              PipelineResources.detectClassPathResourcesToStage(
                  JobFiles.class.getClassLoader(), options),
              modelsRun);
      options.as(FileStagingOptions.class).setFilesToStage(staged);
      System.err.printf(
          "Staging %d files (%,d MB) for Dataflow's workers: the class path without Flink, the"
              + " Direct Runner and Hadoop%s%n",
          staged.size(),
          totalBytes(staged) >> 20,
          modelsRun ? "" : ", and without TensorFlow's native library (no model runs)");
      return;
    }
    if (!submitsToRemoteFlink(options)) {
      return;
    }
    List<String> files = new ArrayList<>();
    files.add(jobJar().toString());
    if (modelsRun) {
      files.add(tensorflowNativeJar().toString());
    }
    options.as(FlinkPipelineOptions.class).setFilesToStage(files);
  }

  /**
   * The entries of the launcher's class path {@code classPath} that Dataflow's workers need: all
   * but Flink's and the Flink runner's jars, the Direct Runner, Hadoop's client and Beam's Hadoop
   * filesystem (Dataflow's workers read Cloud Storage, not HDFS), and TensorFlow's native library
   * unless {@code modelsRun}.
   */
  static List<String> forDataflow(List<String> classPath, boolean modelsRun) {
    List<String> staged = new ArrayList<>();
    for (String entry : classPath) {
      String name = Path.of(entry).getFileName().toString();
      boolean unused =
          name.startsWith("flink-")
              || name.startsWith("beam-runners-flink-")
              || name.startsWith("beam-runners-direct-java-")
              || name.startsWith("hadoop-client-")
              || name.startsWith("beam-sdks-java-io-hadoop-file-system-")
              || (!modelsRun && TENSORFLOW_NATIVE_JAR.matcher(name).matches());
      if (!unused) {
        staged.add(entry);
      }
    }
    return staged;
  }

  /**
   * Whether {@code options} pick Dataflow (whose runner is on the class path only in its build).
   */
  static boolean submitsToDataflow(PipelineOptions options) {
    return options.getRunner().getSimpleName().equals("DataflowRunner");
  }

  private static long totalBytes(List<String> files) {
    long total = 0;
    for (String file : files) {
      try {
        total += Files.isRegularFile(Path.of(file)) ? Files.size(Path.of(file)) : 0;
      } catch (IOException e) {
        // Only the size printed is affected; staging reports the file itself.
      }
    }
    return total;
  }

  /** Whether {@code options} pick the Flink runner with a cluster address (not embedded). */
  static boolean submitsToRemoteFlink(PipelineOptions options) {
    if (options.getRunner() != FlinkRunner.class) {
      return false;
    }
    String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
    return master != null && !master.startsWith("[");
  }

  /** The shaded job jar beside the running program (or beside its classes, in a build). */
  static Path jobJar() throws ConfigException {
    Path programDirectory = programLocation().getParent();
    Path jar = programDirectory.resolve(JOB_JAR);
    if (!Files.isRegularFile(jar)) {
      throw new ConfigException(
          "the Flink job jar "
              + jar
              + " is missing; build it with"
              + " `mvn -B -DskipTests install` (it is made in the package phase)");
    }
    return jar;
  }

  private static Path programLocation() throws ConfigException {
    try {
      return Path.of(JobFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | SecurityException e) {
      throw new ConfigException("cannot locate the Fairbeam program to find its job jar: " + e);
    }
  }

  /** The jar holding TensorFlow's native library, as found on the class path. */
  static Path tensorflowNativeJar() throws ConfigException {
    for (String resource : TENSORFLOW_NATIVE_RESOURCES) {
      URL url = JobFiles.class.getClassLoader().getResource(resource);
      if (url != null && "jar".equals(url.getProtocol())) {
        String file = url.getPath();
        try {
          return Path.of(new URL(file.substring(0, file.indexOf("!/"))).toURI());
        } catch (java.net.MalformedURLException | URISyntaxException e) {
          throw new ConfigException("cannot locate TensorFlow's native jar (" + url + "): " + e);
        }
      }
    }
    throw new ConfigException(
        "TensorFlow's native library is not on the class path, so a model"
            + " cannot be staged for the cluster");
  }
}
