package io.fairbeam.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The data of the slice-cardinality benchmark ({@code scripts/bench-slices}): N deterministic CSV
 * rows in shards, with a label, two models' scores ({@code score}, {@code score_b}), {@code sex},
 * and one column {@code zipK} per cardinality K whose values are 0..K−1. Sliced by Overall, {@code
 * zipK} and {@code zipK × sex}, a run has 1 + 3K slices: K = 3 gives 10, 33 gives 100, ..., 333,333
 * gives 1,000,000; {@code zip666} gives 1,999 (the two-model interval case).
 *
 * <pre>
 * SliceScaleData generate N DIR SHARDS   # writes DIR/part-NNNNN.csv unless DIR/_DONE exists
 * </pre>
 */
public final class SliceScaleData {
  /** The cardinalities of the zip columns. */
  static final int[] CARDINALITIES = {3, 33, 333, 666, 3_333, 33_333, 333_333};

  private SliceScaleData() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4 || !args[0].equals("generate")) {
      System.err.println("usage: SliceScaleData generate N DIR SHARDS");
      System.exit(2);
    }
    long n = Long.parseLong(args[1]);
    Path dir = Path.of(args[2]);
    int shards = Integer.parseInt(args[3]);
    Path done = dir.resolve("_DONE");
    if (ShardedData.alreadyWritten(dir, done)) {
      return;
    }
    Files.createDirectories(dir);
    long started = System.nanoTime();
    ShardedData.write(
        n,
        shards,
        (shard, count) -> {
          writeShard(dir, shard, count);
          return shard;
        });
    Files.writeString(done, n + "\n");
    System.out.printf(
        Locale.ROOT,
        "data: %,d rows in %d CSV shards under %s (%.1f s)%n",
        n,
        shards,
        dir,
        (System.nanoTime() - started) / 1e9);
  }

  private static void writeShard(Path dir, int shard, long count) throws IOException {
    SplittableRandom random = new SplittableRandom(0x51ce_0000L + shard);
    Path file = dir.resolve(String.format(Locale.ROOT, "part-%05d.csv", shard));
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder header = new StringBuilder("label,score,score_b,sex");
      for (int k : CARDINALITIES) {
        header.append(",zip").append(k);
      }
      out.write(header.append('\n').toString());
      StringBuilder row = new StringBuilder();
      for (long i = 0; i < count; i++) {
        int sex = random.nextInt(2);
        long zip = random.nextLong() >>> 1;
        double logit = -0.8 + 0.5 * sex + 0.3 * ((zip % 7) - 3) / 3.0 + random.nextGaussian();
        int label = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        double score = 1 / (1 + Math.exp(-(logit + 0.8 * random.nextGaussian())));
        double scoreB = 1 / (1 + Math.exp(-(logit + 1.2 * random.nextGaussian())));
        row.setLength(0);
        row.append(label)
            .append(',')
            .append(String.format(Locale.ROOT, "%.5f,%.5f", score, scoreB))
            .append(',')
            .append(sex == 0 ? "F" : "M");
        for (int k : CARDINALITIES) {
          row.append(',').append(zip % k);
        }
        out.write(row.append('\n').toString());
      }
    }
  }
}
