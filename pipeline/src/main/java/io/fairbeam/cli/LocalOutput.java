package io.fairbeam.cli;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Results are committed on a local (or mounted) filesystem. A filesystem URL given as an output,
 * {@code hdfs://nn/out} or {@code gs://bucket/out}, would otherwise become a local directory named
 * {@code hdfs:}; it is refused with a sentence instead. Inputs may be on any Beam filesystem.
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
        + "://…: results are written to a local or mounted directory; inputs may be on "
        + scheme
        + "://, an output there is not supported yet";
  }
}
