package io.fairbeam.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A reproducible fuzz campaign: for each family, {@code cases} cases drawn from a seed (case {@code
 * i} of family {@code f} depends only on the seed, {@code f} and {@code i}, so any case can be
 * replayed alone), each run and judged by {@link FuzzRunner}, then the {@code kill} family's
 * process kills ({@link KillFaults}). The report counts outcomes per family and kind and lists
 * every violation with the seed that replays it.
 *
 * <p>{@code scripts/fuzz} runs it from the command line: {@code FuzzCampaign [--seed S] [--cases N]
 * [--kills K] [--families a,b] [--work DIR]}.
 */
public final class FuzzCampaign {
  /** The outcomes of a campaign. */
  record Report(long seed, List<FuzzRunner.Outcome> outcomes) {
    List<FuzzRunner.Outcome> violations() {
      return outcomes.stream().filter(o -> o.kind() == FuzzRunner.Kind.VIOLATION).toList();
    }

    /** A table: per family, cases, results, clear errors, violations; then the violations. */
    String render() {
      Map<String, long[]> byFamily = new LinkedHashMap<>();
      Map<String, Map<String, Integer>> kinds = new LinkedHashMap<>();
      for (FuzzRunner.Outcome o : outcomes) {
        long[] counts = byFamily.computeIfAbsent(o.fuzzCase().family(), f -> new long[4]);
        counts[0]++;
        counts[1 + o.kind().ordinal()]++;
        String kind =
            o.fuzzCase()
                .kind()
                .replaceAll("\\d+ (bytes|ms)", "N $1")
                .replaceAll("\"[^\"]*\"", "\"…\"");
        kinds
            .computeIfAbsent(o.fuzzCase().family(), f -> new TreeMap<>())
            .merge(kind + " → " + o.kind().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
      }
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "fuzz campaign, seed %d%n", seed));
      out.append(
          String.format(
              Locale.ROOT,
              "%-10s %7s %8s %12s %11s%n",
              "family",
              "cases",
              "result",
              "clear error",
              "violation"));
      long[] total = new long[4];
      for (Map.Entry<String, long[]> e : byFamily.entrySet()) {
        long[] c = e.getValue();
        out.append(
            String.format(
                Locale.ROOT, "%-10s %7d %8d %12d %11d%n", e.getKey(), c[0], c[1], c[2], c[3]));
        for (int i = 0; i < 4; i++) {
          total[i] += c[i];
        }
      }
      out.append(
          String.format(
              Locale.ROOT,
              "%-10s %7d %8d %12d %11d%n",
              "all",
              total[0],
              total[1],
              total[2],
              total[3]));
      out.append(String.format(Locale.ROOT, "%nby kind:%n"));
      kinds.forEach(
          (family, counts) ->
              counts.forEach(
                  (kind, n) ->
                      out.append(String.format(Locale.ROOT, "  %-8s %4d  %s%n", family, n, kind))));
      for (FuzzRunner.Outcome v : violations()) {
        out.append(
            String.format(
                Locale.ROOT,
                "%nVIOLATION %s / %s%n  %s%n  %s%n",
                v.fuzzCase().family(),
                v.fuzzCase().kind(),
                String.join(" ", v.fuzzCase().args()),
                v.detail()));
      }
      return out.toString();
    }
  }

  private FuzzCampaign() {}

  /** The random source of case {@code index} of {@code family}. */
  static SplittableRandom random(long seed, String family, int index) {
    return new SplittableRandom(seed * 1_000_003L + family.hashCode() * 31L + index);
  }

  /** Runs {@code cases} cases of each family in {@code families}, in folders under {@code work}. */
  static List<FuzzRunner.Outcome> run(long seed, int cases, List<String> families, Path work)
      throws IOException {
    List<FuzzRunner.Outcome> outcomes = new ArrayList<>();
    for (String family : families) {
      for (int i = 0; i < cases; i++) {
        Path dir = Files.createDirectories(work.resolve(family + "-" + i));
        FuzzCase fuzzCase = FuzzFamilies.generator(family).apply(random(seed, family, i), dir);
        outcomes.add(FuzzRunner.run(fuzzCase, dir));
      }
    }
    return outcomes;
  }

  public static void main(String[] args) throws Exception {
    long seed = 20261125L;
    int cases = 50;
    int kills = 6;
    List<String> families = FuzzFamilies.NAMES;
    Path work = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--cases" -> cases = Integer.parseInt(args[++i]);
        case "--kills" -> kills = Integer.parseInt(args[++i]);
        case "--families" -> families = List.of(args[++i].split(","));
        case "--work" -> work = Path.of(args[++i]);
        default -> {
          System.err.println(
              "usage: FuzzCampaign [--seed S] [--cases N] [--kills K]"
                  + " [--families a,b] [--work DIR]");
          System.exit(2);
        }
      }
    }
    if (work == null) {
      work = Files.createTempDirectory("fairbeam-fuzz-");
    }
    List<FuzzRunner.Outcome> outcomes = new ArrayList<>(run(seed, cases, families, work));
    if (kills > 0) {
      outcomes.addAll(
          KillFaults.run(seed, kills, work.resolve("kill"), System.getProperty("java.class.path")));
    }
    Report report = new Report(seed, outcomes);
    System.out.print(report.render());
    System.out.println("cases kept in " + work);
    System.exit(report.violations().isEmpty() ? 0 : 1);
  }
}
