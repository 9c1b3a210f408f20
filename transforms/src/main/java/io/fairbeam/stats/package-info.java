/**
 * Confidence intervals that hold for small groups: score intervals for a rate, and for the
 * difference and ratio of two groups' rates, computed from counts (or weighted counts) alone. Plain
 * Java without Beam, for Fairbeam's own decisions, beside the resampling intervals TFMA's files
 * hold.
 */
package io.fairbeam.stats;
