package io.fairbeam.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.fairbeam.beam.FairnessEval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Static checks of what cannot run here ({@code deploy/}): the Kubernetes manifests parse, name the
 * image the Dockerfile builds, the Flink version Fairbeam is built against, and a launcher that
 * exists in the image and submits to the session cluster's REST service; the Dockerfile copies
 * files the build makes; the job jar runs the command line and carries no Flink.
 */
public class DeployFilesIT {
  private static final Path ROOT = SharedData.projectRoot();
  private static final Path DEPLOY = ROOT.resolve("deploy");

  @Test
  public void dockerfileBuildsFromFlinkOfOurVersionAndCopiesBuiltFiles() throws IOException {
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    Matcher from =
        Pattern.compile("(?m)^FROM flink:(\\S+)-scala_2\\.12-java17$").matcher(dockerfile);
    assertTrue("FROM flink:<version>-scala_2.12-java17", from.find());
    assertEquals(EnvironmentInformation.getVersion(), from.group(1));
    // It builds from the release tarball this build made, for this build's version.
    Matcher version = Pattern.compile("(?m)^ARG VERSION=(\\S+)$").matcher(dockerfile);
    assertTrue("ARG VERSION=", version.find());
    assertEquals(FairnessEval.VERSION_NUMBER, version.group(1));
    Matcher add = Pattern.compile("(?m)^ADD (\\S+) /opt/$").matcher(dockerfile);
    assertTrue("ADD <release tarball> /opt/", add.find());
    Path tarball = ROOT.resolve(add.group(1).replace("${VERSION}", version.group(1)));
    assertTrue(
        "Dockerfile adds " + tarball + ", which the build does not make", Files.exists(tarball));
    assertFalse("no COPY from the build tree", dockerfile.contains("\nCOPY "));
    assertTrue(dockerfile.contains("mv /opt/fairbeam-${VERSION} /opt/fairbeam"));
    assertTrue("the tag the README and manifests use", dockerfile.contains("-t " + image() + " ."));
  }

  @Test
  public void sessionClusterIsAFlinkDeploymentWithoutJobOnOurImage() throws IOException {
    Map<String, Object> deployment = document("flink-session.yaml", "FlinkDeployment");
    Map<String, Object> spec = map(deployment, "spec");
    assertEquals(image(), spec.get("image"));
    String[] version = EnvironmentInformation.getVersion().split("\\.");
    assertEquals("v" + version[0] + "_" + version[1], spec.get("flinkVersion"));
    assertFalse("a session cluster has no job", spec.containsKey("job"));
    assertNotNull(map(spec, "taskManager").get("replicas"));
    String claim = claimOf(map(spec, "podTemplate"));
    assertEquals(
        claim,
        map(document("flink-session.yaml", "PersistentVolumeClaim"), "metadata").get("name"));
  }

  @Test
  public void evaluationJobRunsTheLauncherAgainstTheSessionCluster() throws IOException {
    Map<String, Object> job = document("evaluate-job.yaml", "Job");
    Map<String, Object> podSpec = map(map(map(job, "spec"), "template"), "spec");
    Map<String, Object> container = list(podSpec, "containers").get(0);
    assertEquals(image(), container.get("image"));
    List<String> command = strings(container.get("command"));
    assertEquals("java", command.get(0));
    assertTrue(command.contains("/opt/fairbeam/fairbeam.jar"));
    List<String> args = strings(container.get("args"));
    assertEquals("evaluate", args.get(0));
    String session =
        (String) map(document("flink-session.yaml", "FlinkDeployment"), "metadata").get("name");
    assertTrue(args.toString(), args.contains("--runner=FlinkRunner"));
    assertTrue(args.toString(), args.contains("--flinkMaster=" + session + "-rest:8081"));
    for (String option : List.of("--config=", "--data=", "--output=")) {
      assertTrue(option, args.stream().anyMatch(a -> a.startsWith(option + "/data/")));
    }
    assertEquals(
        claimOf(map(map(job, "spec"), "template")),
        map(document("flink-session.yaml", "PersistentVolumeClaim"), "metadata").get("name"));
    // The launcher's manifest names the entry class.
    try (JarFile jar = new JarFile(ROOT.resolve("pipeline/target/fairbeam.jar").toFile())) {
      assertEquals(
          Fairbeam.class.getName(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }

  @Test
  public void jobJarRunsTheCommandLineAndLeavesFlinkToTheCluster() throws IOException {
    try (JarFile jar = new JarFile(ROOT.resolve("pipeline/target/" + JobFiles.JOB_JAR).toFile())) {
      assertEquals(
          Fairbeam.class.getName(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
      assertNotNull(jar.getEntry("io/fairbeam/cli/Fairbeam.class"));
      assertNotNull(jar.getEntry("org/apache/beam/runners/flink/FlinkRunner.class"));
      assertTrue(
          "no Flink classes",
          jar.stream().noneMatch(e -> e.getName().startsWith("org/apache/flink/")));
      assertTrue(
          "no TensorFlow native library",
          jar.stream()
              .noneMatch(
                  e -> e.getName().startsWith("org/tensorflow/") && e.getName().contains(".so")));
    }
  }

  /** The image tag, as written in the session manifest (checked against the others). */
  private static String image() throws IOException {
    return (String) map(document("flink-session.yaml", "FlinkDeployment"), "spec").get("image");
  }

  private static String claimOf(Map<String, Object> podTemplate) {
    Map<String, Object> volume = list(map(podTemplate, "spec"), "volumes").get(0);
    return (String) map(volume, "persistentVolumeClaim").get("claimName");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> document(String file, String kind) throws IOException {
    Load load = new Load(LoadSettings.builder().build());
    List<String> kinds = new ArrayList<>();
    for (Object doc :
        load.loadAllFromString(Files.readString(DEPLOY.resolve("kubernetes").resolve(file)))) {
      Map<String, Object> map = (Map<String, Object>) doc;
      kinds.add(String.valueOf(map.get("kind")));
      if (kind.equals(map.get("kind"))) {
        return map;
      }
    }
    throw new AssertionError(file + " has no " + kind + "; it has " + kinds);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertTrue(key + " should be a mapping: " + value, value instanceof Map);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertTrue(key + " should be a list: " + value, value instanceof List);
    return (List<Map<String, Object>>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object value) {
    assertTrue("a list: " + value, value instanceof List);
    return (List<String>) value;
  }

  @Test
  public void theGitHubActionsGateRunsTheDocumentedCommandWithOptionsThatExist()
      throws IOException {
    Object loaded =
        new Load(LoadSettings.builder().build())
            .loadFromString(Files.readString(DEPLOY.resolve("github-actions/fairness-gate.yml")));
    @SuppressWarnings("unchecked")
    Map<String, Object> workflow = (Map<String, Object>) loaded;
    Map<String, Object> gate = map(map(workflow, "jobs"), "gate");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> steps = (List<Map<String, Object>>) gate.get("steps");
    String run =
        steps.stream()
            .map(step -> (String) step.get("run"))
            .filter(command -> command != null && command.contains("scripts/fairbeam evaluate"))
            .findFirst()
            .orElseThrow();
    java.io.StringWriter help = new java.io.StringWriter();
    picocli.CommandLine evaluate =
        new picocli.CommandLine(new Fairbeam()).getSubcommands().get("evaluate");
    evaluate.usage(new java.io.PrintWriter(help));
    Matcher option = Pattern.compile("(--[a-z-]+)").matcher(run);
    int options = 0;
    while (option.find()) {
      assertTrue(
          option.group(1) + " is an option of evaluate", help.toString().contains(option.group(1)));
      options++;
    }
    assertTrue(options >= 8);
    for (String path :
        List.of(
            "configs/celeba-gate.pbtxt",
            "models/fixtures/celeba.tfrecord.gz",
            "models/cnn_reweighted",
            "models/cnn_plain")) {
      assertTrue(run.contains(path));
      assertTrue(path + " exists", Files.exists(ROOT.resolve(path)));
    }
    assertTrue(run.contains("--summary \"$GITHUB_STEP_SUMMARY\""));
  }
}
