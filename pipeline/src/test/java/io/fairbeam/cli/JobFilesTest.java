package io.fairbeam.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;

/** What Fairbeam stages for Dataflow's workers, chosen from this build's real class path. */
public class JobFilesTest {
  private static final List<String> CLASS_PATH =
      Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));

  private static List<String> names(List<String> entries) {
    List<String> names = new ArrayList<>();
    entries.forEach(e -> names.add(Path.of(e).getFileName().toString()));
    return names;
  }

  private static boolean has(List<String> names, String prefix) {
    return names.stream().anyMatch(n -> n.startsWith(prefix));
  }

  @Test
  public void
      dataflowGetsTheClassPathWithoutFlinkTheDirectRunnerHadoopOrTensorFlowsNativeLibrary() {
    for (String prefix :
        List.of(
            "flink-runtime",
            "beam-runners-flink",
            "beam-runners-direct-java",
            "hadoop-client-api",
            "tensorflow-core-native-")) {
      assertTrue(prefix + " is on the test class path", has(names(CLASS_PATH), prefix));
    }
    List<String> staged = names(JobFiles.forDataflow(CLASS_PATH, false));
    for (String prefix :
        List.of(
            "flink-",
            "beam-runners-flink",
            "beam-runners-direct-java",
            "hadoop-client-",
            "beam-sdks-java-io-hadoop-file-system")) {
      assertFalse(prefix + " staged", has(staged, prefix));
    }
    assertFalse(staged.stream().anyMatch(n -> n.matches("tensorflow-core-native-.*-linux-.*")));
    for (String prefix :
        List.of(
            "beam-sdks-java-core",
            "protobuf-java",
            "tensorflow-core-api",
            "tensorflow-core-native-1",
            "beam-sdks-java-io-amazon-web-services2")) {
      assertTrue(prefix + " not staged", has(staged, prefix));
    }
    // The rest of the class path, in its order.
    List<String> rest = new ArrayList<>(CLASS_PATH);
    rest.retainAll(JobFiles.forDataflow(CLASS_PATH, false));
    assertEquals(rest, JobFiles.forDataflow(CLASS_PATH, false));
  }

  @Test
  public void aModelRunStagesTensorFlowsNativeLibraryToo() {
    List<String> staged = names(JobFiles.forDataflow(CLASS_PATH, true));
    assertTrue(staged.stream().anyMatch(n -> n.matches("tensorflow-core-native-.*-linux-.*")));
    assertFalse(has(staged, "flink-runtime"));
  }
}
