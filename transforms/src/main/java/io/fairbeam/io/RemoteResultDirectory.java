package io.fairbeam.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The output directory of an evaluation on a filesystem other than the local one ({@code hdfs://},
 * {@code gs://}, {@code s3://}: any of Beam's {@link FileSystems}), written so that a reader sees
 * the complete result or can tell that it is not complete.
 *
 * <p>{@link #write} writes the result's files on local disk, uploads them into a hidden sibling
 * {@code .NAME.fairbeam-tmp-UUID/} ({@code fairbeam_run.json} last) and then commits:
 *
 * <ul>
 *   <li><b>by rename</b> where the filesystem renames a directory atomically (HDFS): the previous
 *       result moves aside to {@code .NAME.fairbeam-old-UUID/}, the new one moves in, the old one
 *       is deleted, as {@link ResultDirectory} does on a local disk;
 *   <li><b>by copy</b> elsewhere (object stores, which have no directories to rename): a previous
 *       result's {@code fairbeam_run.json} and {@code eval_config.json} are deleted first, then its
 *       files that the new result lacks; the new files are copied over (server-side), then {@code
 *       eval_config.json}, and {@code fairbeam_run.json} last, as the completion marker.
 * </ul>
 *
 * <p>Either way a result is complete exactly when its {@code fairbeam_run.json} is there, and
 * TFMA's loader, which needs {@code eval_config.json}, fails on a result whose copy has not got
 * that far.
 *
 * <p>{@link #prepare}, called before any data is read, refuses an output that holds anything but a
 * previous result or holds an input of the run, and deals with what a killed run left: a previous
 * result moved aside is put back, a copy-commit cut short is finished from its complete upload, and
 * other leftovers are deleted. Beam's filesystems offer no exclusive create, so there is no lock
 * across processes: two runs into one remote output at the same time are the user's to avoid.
 */
@Internal
public final class RemoteResultDirectory {
  private static final Pattern URL = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$");

  /** Filesystems whose rename of a directory is atomic. */
  private static final Set<String> ATOMIC_RENAME = Set.of("hdfs");

  /** Told each step of a commit; tests stop the process there to see what a kill leaves. */
  private static volatile Consumer<String> commitSteps = step -> {};

  private final String output;
  private final String parent;
  private final String name;
  private final boolean byRename;

  private RemoteResultDirectory(String output, String parent, String name, String scheme) {
    this.output = output;
    this.parent = parent;
    this.name = name;
    this.byRename = ATOMIC_RENAME.contains(scheme);
  }

  /** Whether {@code output} names a directory on a filesystem other than the local one. */
  public static boolean isRemote(String output) {
    Matcher url = URL.matcher(output);
    return url.matches() && !url.group(1).equalsIgnoreCase("file");
  }

  /**
   * Checks that {@code output} may be written and holds none of {@code inputs} (URLs or paths as
   * the run names them), and finishes or cleans up after an earlier killed run.
   *
   * @throws OutputRefusedException if the output is not Fairbeam's to replace
   */
  public static void prepare(String output, Collection<String> inputs) throws IOException {
    RemoteResultDirectory directory = of(output);
    directory.checkHoldsNoInput(inputs);
    directory.recoverFromKilledRun();
    directory.checkReplaceable();
  }

  /**
   * Writes a result with {@code contents} (into a local temporary directory), uploads it beside
   * {@code output} and commits it. A failure before the commit leaves the output as it was; one
   * during a commit by copy leaves the output without its marker and the upload in place, so that
   * the next run into the output finishes the commit.
   */
  public static void write(String output, ResultDirectory.Contents contents) throws IOException {
    RemoteResultDirectory directory = of(output);
    Path local = Files.createTempDirectory("fairbeam-result-");
    String staging = directory.sibling(ResultDirectory.TEMPORARY_INFIX);
    boolean committing = false;
    try {
      contents.writeInto(local);
      upload(local, staging);
      commitSteps.accept("staged");
      committing = true;
      if (directory.byRename) {
        directory.commitByRename(staging);
      } else {
        directory.commitByCopy(staging);
      }
    } catch (IOException | RuntimeException | Error e) {
      if (!committing || directory.byRename) {
        try {
          deleteDirectory(staging);
        } catch (IOException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw e;
    } finally {
      ResultDirectory.deleteRecursively(local);
    }
  }

  /**
   * Copies the complete result at {@code output} into the local directory {@code into}.
   *
   * @throws IOException if the result is not complete (it has no {@code fairbeam_run.json})
   */
  public static void download(String output, Path into) throws IOException {
    RemoteResultDirectory directory = of(output);
    TreeMap<String, ResourceId> files = list(directory.output);
    if (!files.containsKey(ResultFiles.RUN_SUMMARY)) {
      throw new IOException(
          output
              + " holds no complete result: "
              + ResultFiles.RUN_SUMMARY
              + ", which is written last, is missing (a run into it is still committing or was"
              + " killed)");
    }
    for (var file : files.entrySet()) {
      if (ResultFiles.isResultFile(file.getKey())) {
        try (InputStream in = Channels.newInputStream(FileSystems.open(file.getValue()))) {
          Files.copy(in, into.resolve(file.getKey()));
        }
      }
    }
  }

  /**
   * Calls {@code listener} with the name of each step of a commit as it is reached ({@code staged},
   * then {@code moved-aside} and {@code moved-in} by rename, or {@code cleared} and {@code copied}
   * by copy). For tests that kill a run at a chosen step.
   */
  public static void onCommitStep(Consumer<String> listener) {
    commitSteps = listener;
  }

  private static RemoteResultDirectory of(String output) {
    Matcher url = URL.matcher(output);
    if (!url.matches()) {
      throw new IllegalArgumentException(output + " is not a URL");
    }
    String trimmed = output.replaceAll("/+$", "");
    int slash = trimmed.lastIndexOf('/');
    if (slash < url.start(2) || slash == trimmed.length() - 1) {
      throw new OutputRefusedException(
          "--output "
              + output
              + ": a bucket or filesystem root cannot be an output; name a directory for the"
              + " result");
    }
    return new RemoteResultDirectory(
        trimmed, trimmed.substring(0, slash), trimmed.substring(slash + 1), url.group(1));
  }

  /** A new hidden sibling of the output, as a directory URL ending in a slash. */
  private String sibling(String infix) {
    return parent + "/." + name + infix + UUID.randomUUID() + "/";
  }

  private void checkHoldsNoInput(Collection<String> inputs) {
    for (String input : inputs) {
      if (input.equals(output) || input.startsWith(output + "/")) {
        throw new OutputRefusedException(
            "--output "
                + output
                + " "
                + (input.equals(output) ? "is" : "contains")
                + " the input "
                + input
                + "; the result would replace it. Choose another output directory");
      }
    }
  }

  private void checkReplaceable() throws IOException {
    TreeMap<String, ResourceId> entries = list(output);
    if (byRename && entries.isEmpty()) {
      // A commit by rename replaces the output path itself. Beam's match does not say whether a
      // path is a directory; one with bytes and nothing under it is a file.
      MatchResult match = FileSystems.match(output);
      if (match.status() == MatchResult.Status.OK
          && match.metadata().stream().anyMatch(m -> m.sizeBytes() > 0)) {
        throw new OutputRefusedException(
            "--output " + output + " exists and is not a directory; refusing to replace it");
      }
    }
    List<String> foreign = new ArrayList<>();
    for (String entry : entries.keySet()) {
      if (!ResultFiles.isResultFile(entry)) {
        foreign.add(entry);
      }
    }
    if (!foreign.isEmpty()) {
      throw new OutputRefusedException(
          "--output "
              + output
              + " holds files that are not part of an evaluation result ("
              + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
              + (foreign.size() > 5 ? " and " + (foreign.size() - 5) + " more" : "")
              + "); refusing to replace it. Choose another output directory");
    }
    boolean tfmaResult =
        entries.containsKey(ResultFiles.EVAL_CONFIG)
            && entries.keySet().stream().anyMatch(n -> n.startsWith(ResultFiles.METRICS_PREFIX));
    if (!entries.isEmpty() && !entries.containsKey(ResultFiles.RUN_SUMMARY) && !tfmaResult) {
      throw new OutputRefusedException(
          "--output "
              + output
              + " holds no complete evaluation result (no "
              + ResultFiles.RUN_SUMMARY
              + ": a run into it was killed while committing, with nothing left to finish it);"
              + " refusing to replace it. Delete it or choose another output directory");
    }
  }

  /**
   * Puts back a previous result that a run killed between the two renames left aside, finishes a
   * commit by copy that a killed run left with its complete upload, and deletes other leftovers.
   */
  private void recoverFromKilledRun() throws IOException {
    String prefix = parent + "/." + name + ".fairbeam-";
    Set<String> siblings = new TreeSet<>();
    // Objects under the siblings (on an object store only they exist), and on HDFS the
    // directories themselves, which may be empty.
    for (ResourceId file : match(prefix + "*/*")) {
      siblings.add(file.getCurrentDirectory().toString());
    }
    for (ResourceId directory : match(prefix + "*")) {
      siblings.add(directory.toString().replaceAll("/*$", "/"));
    }
    List<String> previous = new ArrayList<>();
    List<String> staged = new ArrayList<>();
    for (String sibling : siblings) {
      (sibling.contains(ResultDirectory.PREVIOUS_INFIX) ? previous : staged).add(sibling);
    }
    if (byRename && previous.size() == 1 && !exists(output)) {
      rename(previous.remove(0), output);
    }
    boolean complete = list(output).containsKey(ResultFiles.RUN_SUMMARY);
    for (String upload : staged) {
      if (!byRename && !complete && list(upload).containsKey(ResultFiles.RUN_SUMMARY)) {
        commitByCopy(upload);
        complete = true;
      } else {
        deleteDirectory(upload);
      }
    }
    for (String leftover : previous) {
      deleteDirectory(leftover);
    }
  }

  /** Uploads the local result files into {@code staging}, the run summary last. */
  private static void upload(Path local, String staging) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(local)) {
      entries.forEach(files::add);
    }
    files.sort(
        (a, b) -> {
          boolean aLast = a.getFileName().toString().equals(ResultFiles.RUN_SUMMARY);
          boolean bLast = b.getFileName().toString().equals(ResultFiles.RUN_SUMMARY);
          return aLast != bLast ? Boolean.compare(aLast, bLast) : a.compareTo(b);
        });
    ResourceId directory = directoryId(staging);
    for (Path file : files) {
      ResourceId target =
          directory.resolve(file.getFileName().toString(), StandardResolveOptions.RESOLVE_FILE);
      try (OutputStream out =
          Channels.newOutputStream(FileSystems.create(target, MimeTypes.BINARY))) {
        Files.copy(file, out);
      }
    }
  }

  private void commitByRename(String staging) throws IOException {
    String aside = null;
    if (exists(output)) {
      aside = sibling(ResultDirectory.PREVIOUS_INFIX);
      rename(output, aside);
      commitSteps.accept("moved-aside");
    }
    try {
      rename(staging, output);
    } catch (IOException e) {
      if (aside != null) {
        rename(aside, output);
      }
      throw e;
    }
    commitSteps.accept("moved-in");
    if (aside != null) {
      deleteDirectory(aside);
    }
  }

  /**
   * Replaces the output with a complete upload by copy (also to finish a killed commit): the
   * previous result's files go first, its marker and eval_config.json before the rest, so the
   * output never holds files of two results; then the new files are copied, eval_config.json after
   * every other and the marker last.
   */
  private void commitByCopy(String staging) throws IOException {
    ResourceId target = directoryId(output + "/");
    FileSystems.delete(
        List.of(file(target, ResultFiles.RUN_SUMMARY), file(target, ResultFiles.EVAL_CONFIG)),
        StandardMoveOptions.IGNORE_MISSING_FILES);
    List<ResourceId> previous = new ArrayList<>();
    for (var existing : list(output).entrySet()) {
      if (ResultFiles.isResultFile(existing.getKey())) {
        previous.add(existing.getValue());
      }
    }
    FileSystems.delete(previous, StandardMoveOptions.IGNORE_MISSING_FILES);
    commitSteps.accept("cleared");
    TreeMap<String, ResourceId> uploaded = list(staging);
    List<String> order = new ArrayList<>(uploaded.keySet());
    order.removeAll(List.of(ResultFiles.EVAL_CONFIG, ResultFiles.RUN_SUMMARY));
    for (String last : List.of(ResultFiles.EVAL_CONFIG, ResultFiles.RUN_SUMMARY)) {
      if (uploaded.containsKey(last)) {
        order.add(last);
      }
    }
    for (String each : order) {
      if (each.equals(ResultFiles.RUN_SUMMARY)) {
        commitSteps.accept("copied");
      }
      FileSystems.copy(List.of(uploaded.get(each)), List.of(file(target, each)));
    }
    deleteDirectory(staging);
  }

  /**
   * Renames the directory {@code from} to {@code to}, which must not exist. Both are named without
   * a trailing slash: Beam's Hadoop filesystem creates the parent of the target first, and the
   * parent of {@code dir/} would be {@code dir} itself, into which the rename would then move.
   */
  private static void rename(String from, String to) throws IOException {
    FileSystems.rename(
        List.of(FileSystems.matchNewResource(from.replaceAll("/+$", ""), false)),
        List.of(FileSystems.matchNewResource(to.replaceAll("/+$", ""), false)));
  }

  private static boolean exists(String url) throws IOException {
    MatchResult match = FileSystems.match(url);
    return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty();
  }

  /** The files (and, on HDFS, directories) directly in {@code directory}, by name. */
  private static TreeMap<String, ResourceId> list(String directory) throws IOException {
    TreeMap<String, ResourceId> found = new TreeMap<>();
    for (ResourceId id : match(directory.replaceAll("/*$", "") + "/*")) {
      String filename = id.getFilename();
      if (filename != null && !filename.isEmpty()) {
        found.put(filename, id);
      }
    }
    return found;
  }

  /** What {@code pattern} matches; nothing when it matches nothing. */
  private static List<ResourceId> match(String pattern) throws IOException {
    MatchResult match = FileSystems.match(pattern);
    List<ResourceId> found = new ArrayList<>();
    if (match.status() != MatchResult.Status.NOT_FOUND) {
      match.metadata().forEach(metadata -> found.add(metadata.resourceId()));
    }
    return found;
  }

  private static void deleteDirectory(String directory) throws IOException {
    FileSystems.delete(list(directory).values(), StandardMoveOptions.IGNORE_MISSING_FILES);
    FileSystems.delete(
        List.of(directoryId(directory.replaceAll("/*$", "/"))),
        StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  private static ResourceId directoryId(String url) {
    return FileSystems.matchNewResource(url, true);
  }

  private static ResourceId file(ResourceId directory, String name) {
    return directory.resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }
}
