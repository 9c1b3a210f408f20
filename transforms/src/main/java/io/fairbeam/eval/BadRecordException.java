package io.fairbeam.eval;

/**
 * A record cannot be evaluated: it is corrupt, or lacks a usable label, prediction or weight. The
 * {@link #sentence()} names the file, the record and the field; the message adds how a Beam
 * pipeline skips such records instead ({@link BadRecordPolicy#SKIP}), which a command line says in
 * its own words; {@link #reason()} is the short category under which the skip policy counts it.
 */
public final class BadRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final String sentence;

  /** A bad record: {@code reason} is its category, {@code sentence} what is wrong and where. */
  public BadRecordException(String reason, String sentence) {
    super(sentence + " (withBadRecordPolicy(BadRecordPolicy.SKIP) counts and skips such records)");
    this.reason = reason;
    this.sentence = sentence;
  }

  /** The category under which the skip policy counts such records. */
  public String reason() {
    return reason;
  }

  /** What is wrong with the record and where it is, without the advice. */
  public String sentence() {
    return sentence;
  }
}
