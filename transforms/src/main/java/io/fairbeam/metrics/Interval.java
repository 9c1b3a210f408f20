package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * A two-sided confidence interval as TFMA reports it: its centre (the mean of the replicate values,
 * not the point estimate), bounds, standard error and the degrees of freedom of its t quantile.
 */
@Internal
public record Interval(
    double mean, double lower, double upper, double standardError, int degreesOfFreedom) {}
