package io.fairbeam.beam;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Fairbeam's pipeline options, registered with Beam (so {@code --readGroups=8} is accepted on any
 * command line that builds {@code PipelineOptions}) and read by the transforms when they are
 * applied.
 */
public interface FairbeamOptions extends PipelineOptions {
  @Description(
      "File groups that readAndEvaluate reads in parallel, each one unit of work; set it"
          + " to the runner's parallelism. 0 (the default): "
          + ReadAndEvaluate.DEFAULT_READ_GROUPS
          + ", unless the transform sets withReadGroups.")
  @Default.Integer(0)
  int getReadGroups();

  void setReadGroups(int groups);

  @Description(
      "Shards the slices are merged and derived in, each one grouping key; a shard holds its"
          + " slices' accumulators at once. 0 (the default): "
          + SliceShards.DIRECT_RUNNER
          + " on the Direct Runner, "
          + SliceShards.CLUSTER
          + " elsewhere.")
  @Default.Integer(0)
  int getSliceShards();

  void setSliceShards(int shards);

  @Description(
      "Whether readAndEvaluate cuts an uncompressed TFRecord, CSV or Avro file larger than a read"
          + " group's share of the input into byte ranges that several workers read at once"
          + " (default: true). false reads every file whole, on one worker.")
  @Default.Boolean(true)
  boolean getSplitFiles();

  void setSplitFiles(boolean split);

  @Description(
      "The smallest byte range an input file is cut into when --splitFiles is on (default"
          + " 16777216, 16 MiB): a file is cut only where each range would be at least this"
          + " large.")
  @Default.Long(GroupFiles.DEFAULT_MIN_RANGE_BYTES)
  long getMinRangeBytes();

  void setMinRangeBytes(long bytes);
}
