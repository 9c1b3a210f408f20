package io.fairbeam.cli;

import io.fairbeam.beam.RunnerDefaults;
import io.fairbeam.config.ConfigException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a job stages on a remote Flink cluster. Left to itself, Beam's Flink runner uploads
 * every jar on the launcher's class path (300 MB with Flink and TensorFlow's native library) on
 * every run. Fairbeam stages the one shaded job jar the build makes beside the program
 * ({@code pipeline/target/fairbeam-job.jar}: Fairbeam, Beam and their libraries, without Flink,
 * which the cluster has), plus TensorFlow's native library only when a model is evaluated.
 */
final class JobFiles {
  static final String JOB_JAR = "fairbeam-job.jar";

  /** Resources of TensorFlow Java's native jars (CPU and CUDA builds), to find the jar by. */
  private static final List<String> TENSORFLOW_NATIVE_RESOURCES = List.of(
      "org/tensorflow/internal/c_api/linux-x86_64/libjnitensorflow.so",
      "org/tensorflow/internal/c_api/linux-x86_64-gpu/libjnitensorflow.so");

  private JobFiles() {}

  /**
   * {@code args} with {@code --filesToStage} set when they submit to a remote Flink cluster and
   * do not name the files themselves; otherwise {@code args} unchanged.
   */
  static List<String> apply(List<String> args, boolean modelsRun) throws ConfigException {
    if (!submitsToRemoteFlink(args)
        || args.stream().anyMatch(a -> a.startsWith("--filesToStage="))) {
      return args;
    }
    List<String> files = new ArrayList<>();
    files.add(jobJar().toString());
    if (modelsRun) {
      files.add(tensorflowNativeJar().toString());
    }
    List<String> result = new ArrayList<>(args);
    result.add("--filesToStage=" + String.join(",", files));
    return result;
  }

  /** Whether {@code args} pick the Flink runner with a cluster address (not the embedded one). */
  static boolean submitsToRemoteFlink(List<String> args) {
    if (!RunnerDefaults.isFlink(args)) {
      return false;
    }
    String master = null;
    for (String arg : args) {
      if (arg.startsWith("--flinkMaster=")) {
        master = arg.substring("--flinkMaster=".length());
      }
    }
    return master != null && !master.startsWith("[");
  }

  /** The shaded job jar beside the running program (or beside its classes, in a build). */
  static Path jobJar() throws ConfigException {
    Path programDirectory = programLocation().getParent();
    Path jar = programDirectory.resolve(JOB_JAR);
    if (!Files.isRegularFile(jar)) {
      throw new ConfigException("the Flink job jar " + jar + " is missing; build it with"
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
    throw new ConfigException("TensorFlow's native library is not on the class path, so a model"
        + " cannot be staged for the cluster");
  }
}
