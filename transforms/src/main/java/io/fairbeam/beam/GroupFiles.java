package io.fairbeam.beam;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Splits all matched files into at most {@code groups} groups of about equal total size (largest
 * file first, each into the lightest group). Each group is read as one element, so every slice
 * receives at most one partial accumulator per group instead of one per file: the merge per slice
 * stays small however many shards the input has. Each group is keyed by its index, so the shuffle
 * that follows spreads the groups over the workers the same way on every run (a random key would
 * make which worker reads what, and a re-run's balance, a matter of chance).
 */
final class GroupFiles
    extends DoFn<
        KV<Integer, Iterable<MatchResult.Metadata>>, KV<Integer, List<MatchResult.Metadata>>> {
  private static final long serialVersionUID = 1L;

  private final int groups;

  GroupFiles(int groups) {
    this.groups = groups;
  }

  @ProcessElement
  public void processElement(
      @Element KV<Integer, Iterable<MatchResult.Metadata>> all,
      OutputReceiver<KV<Integer, List<MatchResult.Metadata>>> out) {
    List<MatchResult.Metadata> files = new ArrayList<>();
    all.getValue().forEach(files::add);
    int index = 0;
    for (List<MatchResult.Metadata> group : split(files, groups)) {
      out.output(KV.of(index++, group));
    }
  }

  /** The balanced split, without empty groups. */
  static List<List<MatchResult.Metadata>> split(List<MatchResult.Metadata> files, int groups) {
    List<MatchResult.Metadata> sorted = new ArrayList<>(files);
    sorted.sort(
        Comparator.comparingLong(MatchResult.Metadata::sizeBytes)
            .reversed()
            .thenComparing(m -> m.resourceId().toString()));
    int n = Math.max(1, Math.min(groups, sorted.size()));
    List<List<MatchResult.Metadata>> result = new ArrayList<>();
    long[] sizes = new long[n];
    for (int i = 0; i < n; i++) {
      result.add(new ArrayList<>());
    }
    for (MatchResult.Metadata file : sorted) {
      int lightest = 0;
      for (int i = 1; i < n; i++) {
        if (sizes[i] < sizes[lightest]) {
          lightest = i;
        }
      }
      result.get(lightest).add(file);
      sizes[lightest] += Math.max(1, file.sizeBytes());
    }
    return result;
  }
}
