package io.fairbeam.cli;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * {@code fairbeam convert} and {@code fairbeam report} write a local (or mounted) file. A
 * filesystem URL given as their output, {@code hdfs://nn/out} or {@code gs://bucket/out}, would
 * otherwise become a local directory named {@code hdfs:}; it is refused with a sentence instead.
 * (Inputs may be on any Beam filesystem, and {@code fairbeam evaluate} writes its result there.)
 */
final class LocalOutput {
  /** A scheme, then ':/': what a URL leaves in a path once the path has folded its slashes. */
  private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:/.*");

  private LocalOutput() {}

  static boolean isUrl(Path path) {
    return path != null && URL.matcher(path.toString()).matches();
  }

  static String refusal(String option, Path path) {
    String scheme = path.toString().substring(0, path.toString().indexOf(':'));
    return option
        + " "
        + scheme
        + "://…: this command writes a local or mounted file; write it locally and copy it to "
        + scheme
        + ":// (fairbeam evaluate writes its result there itself)";
  }
}
