package io.fairbeam.cli;

import io.fairbeam.beam.FairbeamOptionsCheck;
import io.fairbeam.config.ConfigException;
import io.fairbeam.util.ExceptionText;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The Beam pipeline options a command passes on ({@code --runner}, {@code --hdfsConfiguration},
 * {@code --awsRegion}, ...), parsed by Beam's own factory with its errors named by option, and the
 * filesystems they configure.
 */
final class PipelineArgs {
  static {
    // Beam's S3 filesystem registers only AwsOptions; its S3 options (such as
    // --s3ClientFactoryClass) are refused as unknown unless registered here.
    PipelineOptionsFactory.register(S3Options.class);
  }

  private PipelineArgs() {}

  /**
   * Parses and validates {@code args}.
   *
   * @throws ConfigException naming the option at fault
   */
  static PipelineOptions parse(List<String> args) {
    PipelineOptions options;
    try {
      options =
          PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).withValidation().create();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(optionError(args, e));
    }
    RunnerDefaults.deferAwsRegion(options, args);
    String problem = FairbeamOptionsCheck.problem(options);
    if (problem != null) {
      throw new ConfigException("pipeline option " + problem);
    }
    return options;
  }

  /**
   * A URL whose scheme no filesystem of this build serves, or that its filesystem refuses, would
   * fail deep in Beam; it is named here, with what serves it.
   */
  static void checkFilesystem(String option, String location) {
    try {
      FileSystems.matchNewResource(location, false);
    } catch (IllegalArgumentException e) {
      if (!String.valueOf(e.getMessage()).startsWith("No filesystem found for scheme")) {
        // The filesystem refuses the name itself, e.g. an invalid Cloud Storage bucket.
        throw new ConfigException(option + " " + location + ": " + ExceptionText.describe(e));
      }
      String scheme = location.substring(0, Math.max(0, location.indexOf(':')));
      throw new ConfigException(
          option
              + " "
              + location
              + ": no filesystem serves "
              + scheme
              + ":// here; "
              + switch (scheme) {
                case "hdfs" ->
                    "HDFS needs its configuration, e.g."
                        + " --hdfsConfiguration=[{\"fs.defaultFS\":\"hdfs://NAMENODE:8020\"}]";
                case "gs" ->
                    "Cloud Storage comes with the dataflow build"
                        + " (mvn -B -Pdataflow -DskipTests install)";
                default ->
                    "Fairbeam reads and writes local paths, hdfs://, s3:// and, in the dataflow"
                        + " build, gs://";
              });
    }
  }

  /** Beam's message for bad pipeline options, with the option at fault when one alone fails. */
  private static String optionError(List<String> args, IllegalArgumentException failure) {
    for (String arg : args) {
      try {
        PipelineOptionsFactory.fromArgs(arg).create();
      } catch (IllegalArgumentException e) {
        return "pipeline option " + arg + ": " + ExceptionText.describe(e);
      }
    }
    return "pipeline options: " + ExceptionText.describe(failure);
  }
}
