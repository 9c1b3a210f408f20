package io.fairbeam.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.List;
import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.After;
import org.junit.Test;
import software.amazon.awssdk.regions.Region;

/** The defaults the command line sets, and the choices of the user they leave alone. */
public class RunnerDefaultsTest {
  @After
  public void clearRegion() {
    System.clearProperty("aws.region");
  }

  @Test
  public void theAwsRegionIsLeftToTheSdkUnlessGiven() {
    // With aws.region set, Beam's default would look the region up (through the SDK's chain, whose
    // last step waits for the EC2 metadata service) and find this one: null shows it did not.
    System.setProperty("aws.region", "eu-central-1");
    List<String> args = List.of("--runner=DirectRunner");
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).create();
    RunnerDefaults.apply(options, args, false);
    assertNull(options.as(AwsOptions.class).getAwsRegion());
    // As a worker sees the options: serialized with the job and read back.
    PipelineOptions onWorker =
        SerializableUtils.clone(new SerializablePipelineOptions(options)).get();
    assertNull(onWorker.as(AwsOptions.class).getAwsRegion());

    PipelineOptions untouched =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).create();
    assertEquals(Region.EU_CENTRAL_1, untouched.as(AwsOptions.class).getAwsRegion());
  }

  @Test
  public void aGivenAwsRegionIsKept() {
    List<String> args = List.of("--runner=DirectRunner", "--awsRegion=ap-south-1");
    PipelineOptions options = PipelineArgs.parse(args);
    RunnerDefaults.apply(options, args, false);
    assertEquals(Region.AP_SOUTH_1, options.as(AwsOptions.class).getAwsRegion());
  }
}
