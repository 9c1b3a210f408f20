package io.fairbeam.cli;

import io.fairbeam.config.ConfigException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The files a job stages on a remote Flink cluster. Left to itself, Beam's Flink runner uploads
 * every jar on the launcher's class path (300 MB with Flink and TensorFlow's native library) on
 * every run. Fairbeam stages the one shaded job jar the build makes beside the program ({@code
 * pipeline/target/fairbeam-job.jar}: Fairbeam, Beam and their libraries, without Flink, which the
 * cluster has), plus TensorFlow's native library only when a model is evaluated.
 */
final class JobFiles {
  static final String JOB_JAR = "fairbeam-job.jar";

  /** Resources of TensorFlow Java's native jars (CPU and CUDA builds), to find the jar by. */
  private static final List<String> TENSORFLOW_NATIVE_RESOURCES =
      List.of(
          "org/tensorflow/internal/c_api/linux-x86_64/libjnitensorflow.so",
          "org/tensorflow/internal/c_api/linux-x86_64-gpu/libjnitensorflow.so");

  private JobFiles() {}

  /**
   * Sets {@code --filesToStage} on {@code options} when they submit to a remote Flink cluster and
   * the user ({@code args}) did not name the files.
   */
  static void apply(PipelineOptions options, List<String> args, boolean modelsRun) {
    if (!submitsToRemoteFlink(options) || RunnerDefaults.given(args, "filesToStage")) {
      return;
    }
    List<String> files = new ArrayList<>();
    files.add(jobJar().toString());
    if (modelsRun) {
      files.add(tensorflowNativeJar().toString());
    }
    options.as(FlinkPipelineOptions.class).setFilesToStage(files);
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
