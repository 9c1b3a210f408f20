package io.fairbeam.eval;

/** What to do with a record that cannot be evaluated (the {@code --bad-records} option). */
public enum BadRecordPolicy {
  /** Stop the job with an error naming the file, record and field. The default. */
  FAIL,
  /** Leave the record out, count it by reason, and report the counts with the results. */
  SKIP
}
