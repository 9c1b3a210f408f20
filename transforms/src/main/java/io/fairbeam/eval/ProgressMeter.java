package io.fairbeam.eval;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows that a long run is alive: counts the records read in this JVM and prints the count and
 * rate to stderr at most every {@value #INTERVAL_SECONDS} seconds. Runs shorter than that print
 * nothing.
 */
public final class ProgressMeter {
  private static final int INTERVAL_SECONDS = 10;
  private static final AtomicLong RECORDS = new AtomicLong();
  private static final long START = System.nanoTime();
  private static final AtomicLong NEXT_REPORT =
      new AtomicLong(START + INTERVAL_SECONDS * 1_000_000_000L);

  private ProgressMeter() {}

  /** Adds {@code records} read, and reports if the interval has passed. */
  public static void add(long records) {
    long total = RECORDS.addAndGet(records);
    long now = System.nanoTime();
    long next = NEXT_REPORT.get();
    if (now >= next && NEXT_REPORT.compareAndSet(next, now + INTERVAL_SECONDS * 1_000_000_000L)) {
      double seconds = (now - START) / 1e9;
      System.err.printf(Locale.ROOT, "fairbeam: %,d records read (%,.0f records/s)%n", total,
          total / seconds);
    }
  }
}
