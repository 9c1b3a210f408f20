package io.fairbeam.metrics;

import io.fairbeam.proto.tfma.MetricValue;
import io.fairbeam.proto.tfma.PlotData;
import org.apache.beam.sdk.annotations.Internal;

/** Receives the values a {@link MetricDefinition} derives for one slice. */
@Internal
public interface MetricSink {
  /** One metric value under TFMA's key {@code name}. */
  void metric(String name, boolean exampleWeighted, MetricValue value);

  /** One plot under TFMA's plot key {@code name}. */
  void plot(String name, boolean exampleWeighted, PlotData value);
}
