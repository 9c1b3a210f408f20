package io.fairbeam.beam;

import io.fairbeam.extract.ByteRanges;
import io.fairbeam.extract.RecordFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Splits all matched files into at most {@code groups} groups of about equal total size (largest
 * piece first, each into the lightest group). A file larger than a group's share that the format
 * can read in ranges (an uncompressed TFRecord file, see {@link RecordFormat#splittable}) is first
 * cut into ranges of about that share, so one big file is read by every worker. Each group is read
 * as one element, so every slice receives at most one partial accumulator per group instead of one
 * per file: the merge per slice stays small however many shards the input has. Each group is keyed
 * by its index, so the shuffle that follows spreads the groups over the workers the same way on
 * every run (a random key would make which worker reads what, and a re-run's balance, a matter of
 * chance).
 */
final class GroupFiles
    extends DoFn<KV<Integer, Iterable<MatchResult.Metadata>>, KV<Integer, List<FileRange>>> {
  private static final long serialVersionUID = 1L;

  /** The smallest range a file is cut into: below it a range's start-up cost is not worth it. */
  static final long DEFAULT_MIN_RANGE_BYTES = 16L << 20;

  private final int groups;
  private final RecordFormat format;
  private final long minRangeBytes;

  /**
   * Groups for {@code groups} parallel readers of {@code format} files, cutting files into ranges
   * of at least {@code minRangeBytes} (0: never cut a file).
   */
  GroupFiles(int groups, RecordFormat format, long minRangeBytes) {
    this.groups = groups;
    this.format = format;
    this.minRangeBytes = minRangeBytes;
  }

  @ProcessElement
  public void processElement(
      @Element KV<Integer, Iterable<MatchResult.Metadata>> all,
      OutputReceiver<KV<Integer, List<FileRange>>> out) {
    List<MatchResult.Metadata> files = new ArrayList<>();
    all.getValue().forEach(files::add);
    int index = 0;
    for (List<FileRange> group : split(files, groups, format, minRangeBytes)) {
      out.output(KV.of(index++, group));
    }
  }

  /** The balanced split, without empty groups. */
  static List<List<FileRange>> split(
      List<MatchResult.Metadata> files, int groups, RecordFormat format, long minRangeBytes) {
    List<FileRange> pieces = cut(files, groups, format, minRangeBytes);
    pieces.sort(
        Comparator.comparingLong(FileRange::sizeBytes)
            .reversed()
            .thenComparing(FileRange::fileName)
            .thenComparingLong(FileRange::start));
    int n = Math.max(1, Math.min(groups, pieces.size()));
    List<List<FileRange>> result = new ArrayList<>();
    long[] sizes = new long[n];
    for (int i = 0; i < n; i++) {
      result.add(new ArrayList<>());
    }
    for (FileRange piece : pieces) {
      int lightest = 0;
      for (int i = 1; i < n; i++) {
        if (sizes[i] < sizes[lightest]) {
          lightest = i;
        }
      }
      result.get(lightest).add(piece);
      sizes[lightest] += Math.max(1, piece.sizeBytes());
    }
    return result;
  }

  /**
   * Each file whole, or, if it is larger than a group's share of all bytes (and than {@code
   * minRangeBytes}) and can be read in ranges, cut into equal ranges of about that share.
   */
  private static List<FileRange> cut(
      List<MatchResult.Metadata> files, int groups, RecordFormat format, long minRangeBytes) {
    long total = 0;
    for (MatchResult.Metadata file : files) {
      total += Math.max(1, file.sizeBytes());
    }
    long share = ByteRanges.share(total, groups, minRangeBytes);
    List<FileRange> pieces = new ArrayList<>();
    for (MatchResult.Metadata file : files) {
      long size = file.sizeBytes();
      if (minRangeBytes <= 0
          || size <= share
          || !file.isReadSeekEfficient()
          || !format.splittable(file.resourceId().toString())) {
        pieces.add(FileRange.whole(file));
        continue;
      }
      long[] bounds = ByteRanges.bounds(size, share);
      for (int i = 0; i + 1 < bounds.length; i++) {
        pieces.add(FileRange.of(file, bounds[i], bounds[i + 1]));
      }
    }
    return pieces;
  }
}
