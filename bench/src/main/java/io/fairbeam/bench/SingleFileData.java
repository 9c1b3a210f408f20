package io.fairbeam.bench;

import com.google.protobuf.ByteString;
import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.tfma.MetricsForSlice;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The data of {@code scripts/bench-single-file}: the {@code scripts/bench} examples in 16 TFRecord
 * shards, and the same records, in the same order, in one file (the shards concatenated, which is a
 * valid TFRecord file), so the two inputs hold exactly the same records.
 *
 * <p>Usage: {@code SingleFileData N DIR} writes them and prints the shard pattern and the single
 * file's path; {@code SingleFileData same RESULT RESULT...} exits with 1 unless the results hold
 * the same metrics records (in any order).
 */
public final class SingleFileData {
  private SingleFileData() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("same")) {
      Set<ByteString> first = metrics(Path.of(args[1]));
      for (int i = 2; i < args.length; i++) {
        if (!metrics(Path.of(args[i])).equals(first)) {
          System.out.println("the metrics of " + args[i] + " differ from those of " + args[1]);
          System.exit(1);
        }
      }
      System.out.println("metrics: the " + (args.length - 1) + " results hold the same records");
      return;
    }
    long n = Long.parseLong(args[0]);
    Path dir = Path.of(args[1]);
    Path shardDir = dir.resolve("data-" + n + "-16");
    List<Path> shards = PipelineBenchmark.generate(n, shardDir, 16);
    Path singleDir = dir.resolve("single-" + n);
    Path single = singleDir.resolve("all.tfrecord");
    Path marker = singleDir.resolve("_COMPLETE");
    if (!ShardedData.alreadyWritten(singleDir, marker)) {
      Files.createDirectories(singleDir);
      try (OutputStream out = Files.newOutputStream(single)) {
        for (Path shard : shards) {
          Files.copy(shard, out);
        }
      }
      Files.createFile(marker);
    }
    System.out.println("shards: " + shardDir.resolve("part-*"));
    System.out.println("single: " + single + " (" + sizeMb(single) + " MB)");
  }

  private static Set<ByteString> metrics(Path result) throws IOException {
    Set<ByteString> records = new HashSet<>();
    for (MetricsForSlice metrics : EvalResultReader.metrics(result)) {
      records.add(metrics.toByteString());
    }
    return records;
  }

  private static long sizeMb(Path file) throws IOException {
    return Files.size(file) >> 20;
  }
}
