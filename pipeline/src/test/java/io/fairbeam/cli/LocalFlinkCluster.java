package io.fairbeam.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real standalone Flink session cluster for tests, started and stopped with {@code
 * scripts/flink-cluster} (the command users run) in a folder of its own and on free ports, so it
 * never touches a cluster the developer has running.
 */
final class LocalFlinkCluster {
  private final Path home;
  private final int restPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private LocalFlinkCluster(Path home, int restPort) {
    this.home = home;
    this.restPort = restPort;
  }

  /** Starts {@code taskManagers} TaskManagers with {@code slots} slots each. */
  static LocalFlinkCluster start(Path home, int taskManagers, int slots)
      throws IOException, InterruptedException {
    int[] ports = freePorts(2);
    int restPort = ports[0];
    LocalFlinkCluster cluster = new LocalFlinkCluster(home, restPort);
    cluster.script(
        "start",
        "--taskmanagers",
        String.valueOf(taskManagers),
        "--slots",
        String.valueOf(slots),
        "--task-heap",
        "512m",
        "--rest-port",
        String.valueOf(restPort),
        "--rpc-port",
        String.valueOf(ports[1]));
    return cluster;
  }

  /** The {@code --flinkMaster} value that submits to this cluster. */
  String master() {
    return "localhost:" + restPort;
  }

  /** The body of a GET on the cluster's REST API, e.g. {@code /jobs/overview}. */
  String rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return response.body();
  }

  /** Runs {@code scripts/flink-cluster} with this cluster's folder; fails with its output. */
  String script(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(SharedData.projectRoot().resolve("scripts").resolve("flink-cluster").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("FAIRBEAM_FLINK_HOME", home.toString());
    Path log = Files.createTempFile("flink-cluster", ".out");
    try {
      Process process = builder.redirectOutput(log.toFile()).start();
      int code = process.waitFor();
      String output = Files.readString(log);
      if (code != 0) {
        throw new IOException(
            "scripts/flink-cluster " + String.join(" ", args) + " exited " + code + ":\n" + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Stops the cluster's processes. */
  void stop() throws IOException, InterruptedException {
    script("stop");
  }

  /**
   * {@code count} distinct free ports: each socket is held until all are chosen, so the system
   * cannot hand the same port out twice (a REST and an RPC port once came out equal, and the
   * JobManager could not bind).
   */
  private static int[] freePorts(int count) throws IOException {
    ServerSocket[] sockets = new ServerSocket[count];
    int[] ports = new int[count];
    try {
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (ServerSocket socket : sockets) {
        if (socket != null) {
          socket.close();
        }
      }
    }
    return ports;
  }
}
