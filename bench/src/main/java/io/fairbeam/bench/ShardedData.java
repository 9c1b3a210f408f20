package io.fairbeam.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a benchmark's data once: N examples split over shards, each shard by its own task (one
 * thread per core), unless a marker file says an earlier run already wrote them.
 */
final class ShardedData {
  /** Writes one shard of {@code count} examples and returns what the generator counted. */
  interface ShardWriter<T> {
    T write(int shard, long count) throws Exception;
  }

  private ShardedData() {}

  /** Whether {@code marker} exists: the data under it is already written (says so if it is). */
  static boolean alreadyWritten(Path dir, Path marker) {
    if (Files.exists(marker)) {
      System.out.println("data: " + dir + " (already generated)");
      return true;
    }
    return false;
  }

  /**
   * Writes {@code n} examples in {@code shards} shards in parallel; each shard's result, in order.
   */
  static <T> List<T> write(long n, int shards, ShardWriter<T> writer) throws Exception {
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(shards, Runtime.getRuntime().availableProcessors()));
    try {
      List<Future<T>> parts = new ArrayList<>();
      for (int s = 0; s < shards; s++) {
        int shard = s;
        long count = n / shards + (s < n % shards ? 1 : 0);
        parts.add(pool.submit(() -> writer.write(shard, count)));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> part : parts) {
        results.add(part.get());
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }
}
