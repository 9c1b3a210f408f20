package io.fairbeam.cli;

import io.fairbeam.beam.FairnessEval;
import io.fairbeam.config.ConfigException;
import io.fairbeam.io.RemoteResultDirectory;
import io.fairbeam.io.ResultDirectory;
import io.fairbeam.io.ResultFiles;
import io.fairbeam.proto.ReportData;
import io.fairbeam.proto.ReportResult;
import io.fairbeam.report.ReportDataReader;
import io.fairbeam.report.ReportFindings;
import io.fairbeam.report.ReportPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code fairbeam report}: renders one or more result directories in TFMA's layout (Fairbeam's, or
 * TFMA's own) as one self-contained HTML file.
 */
@Command(
    name = "report",
    header = "Renders result directories as one offline HTML report.",
    mixinStandardHelpOptions = true,
    description = {
      "Renders the result directories given with --results (Fairbeam's, or TFMA's",
      "own output) as one self-contained HTML file: the verdict, the largest gaps",
      "between groups with their intervals, a chart and a table per metric, threshold",
      "and slice, the curves, and the data as JSON. It needs no network and opens",
      "from disk. A result may be a URL (hdfs://, s3://, gs://), read when complete,",
      "with the filesystem's pipeline options (--hdfsConfiguration, --awsRegion, ...)."
    },
    footer = {
      "",
      "Exit status: 0 written, 1 a result cannot be read, 2 bad usage or an output",
      "that is not a Fairbeam report.",
      "Example:",
      "  fairbeam report --results out/titanic --output titanic.html"
    })
final class ReportCommand implements Callable<Integer> {
  @Option(
      names = "--results",
      required = true,
      paramLabel = "DIR",
      description = "A result directory or URL; repeat to put several in one report.")
  List<String> results = new ArrayList<>();

  @Option(
      names = "--output",
      required = true,
      paramLabel = "FILE",
      description = "The HTML file: created, or replaced if it is a Fairbeam report.")
  Path output;

  @Option(
      names = "--parity-ratio",
      paramLabel = "R",
      description =
          "The parity band: a gap between groups passes when the lower value is at least R"
              + " times the higher (default: ${DEFAULT-VALUE}, the four-fifths rule).")
  double parityRatio = ReportFindings.FOUR_FIFTHS;

  @Unmatched List<String> pipelineArgs = new ArrayList<>();

  @Override
  public Integer call() {
    try {
      if (LocalOutput.isUrl(output)) {
        throw new ConfigException(LocalOutput.refusal("--output", output));
      }
      if (!(parityRatio > 0 && parityRatio <= 1)) {
        throw new ConfigException(
            "--parity-ratio must be above 0 and at most 1, got " + parityRatio);
      }
      checkOutput(output);
      if (results.stream().anyMatch(RemoteResultDirectory::isRemote)) {
        for (String arg : pipelineArgs) {
          if (!arg.startsWith("--")) {
            throw new ConfigException("unexpected argument " + arg);
          }
        }
        FileSystems.setDefaultPipelineOptions(PipelineArgs.parse(pipelineArgs));
        for (String result : results) {
          PipelineArgs.checkFilesystem("--results", result);
        }
      } else if (!pipelineArgs.isEmpty()) {
        throw new ConfigException(
            "unexpected argument "
                + pipelineArgs.get(0)
                + " (pipeline options are for results given as URLs)");
      }
    } catch (ConfigException e) {
      System.err.println("fairbeam report: " + e.getMessage());
      return Fairbeam.USAGE;
    }
    ReportData.Builder data =
        ReportData.newBuilder()
            .setFairbeamVersion(FairnessEval.VERSION)
            .setParityRatio(parityRatio);
    for (String result : results) {
      try {
        data.addResults(read(result));
      } catch (IOException | RuntimeException e) {
        System.err.println("fairbeam report: --results " + result + ": " + ErrorMessages.of(e));
        return Fairbeam.FAILED;
      }
    }
    try {
      Path parent = output.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      // Written beside the output under a temporary name, then renamed into place whole.
      Path temp =
          parent.resolve("." + output.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
      try {
        Files.writeString(temp, ReportPage.render(data.build()), StandardCharsets.UTF_8);
        Files.move(
            temp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      System.err.println("fairbeam report: --output " + output + ": " + ErrorMessages.of(e));
      return Fairbeam.FAILED;
    }
    System.out.println("Report written to " + output);
    return 0;
  }

  /**
   * Reads the result at {@code result}: a local directory, or a URL whose complete result is copied
   * into a temporary directory first.
   */
  private ReportResult read(String result) throws IOException {
    if (!RemoteResultDirectory.isRemote(result)) {
      return readDirectory(Path.of(result), result);
    }
    Path copy = Files.createTempDirectory("fairbeam-report-");
    try {
      RemoteResultDirectory.download(result, copy);
      return readDirectory(copy, result);
    } finally {
      ResultDirectory.deleteRecursively(copy);
    }
  }

  private ReportResult readDirectory(Path dir, String location) throws IOException {
    if (!Files.isRegularFile(dir.resolve(ResultFiles.EVAL_CONFIG))
        && !Files.isRegularFile(
            dir.resolve(ResultFiles.METRICS_PREFIX + "-00000-of-00001.tfrecord"))) {
      throw new IOException(
          "not a result directory (no " + ResultFiles.EVAL_CONFIG + " or metrics file)");
    }
    return ReportDataReader.read(dir, location, parityRatio);
  }

  /** An existing output is replaced only when it is a Fairbeam report. */
  private static void checkOutput(Path output) {
    if (!Files.exists(output)) {
      return;
    }
    String text;
    try {
      text = Files.isRegularFile(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      text = "";
    }
    if (!text.contains("id=\"fairbeam-data\"")) {
      throw new ConfigException(
          "--output "
              + output
              + ": the file exists and is not a Fairbeam report; not replacing it");
    }
  }
}
