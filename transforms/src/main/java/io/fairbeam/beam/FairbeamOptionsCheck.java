package io.fairbeam.beam;

import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What is wrong with Fairbeam's pipeline options ({@link FairbeamOptions}), in one place: the
 * transforms refuse such options when applied, and the command line names them as a usage error
 * before it builds anything.
 */
@Internal
public final class FairbeamOptionsCheck {
  private FairbeamOptionsCheck() {}

  /** The first problem with {@code options}' Fairbeam settings, as a sentence, or null. */
  public static String problem(PipelineOptions options) {
    FairbeamOptions fairbeam = options.as(FairbeamOptions.class);
    if (fairbeam.getReadGroups() < 0) {
      return "--readGroups="
          + fairbeam.getReadGroups()
          + ": must be at least 1 (or 0 for the default)";
    }
    if (fairbeam.getSliceShards() < 0) {
      return "--sliceShards="
          + fairbeam.getSliceShards()
          + ": must be at least 1 (or 0 for the default)";
    }
    if (fairbeam.getMinRangeBytes() < 1) {
      return "--minRangeBytes=" + fairbeam.getMinRangeBytes() + ": must be at least 1";
    }
    return null;
  }

  /**
   * Throws an {@link IllegalArgumentException} saying what is wrong with {@code options}, if
   * anything is.
   */
  static void check(PipelineOptions options) {
    String problem = problem(options);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }
}
