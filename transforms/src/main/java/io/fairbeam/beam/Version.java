package io.fairbeam.beam;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The build's version, read from {@code io/fairbeam/version.properties}, which Maven fills in from
 * the project's version: one number for {@code --version}, {@code eval_config.json} and the report.
 */
final class Version {
  static final String NUMBER = load();

  private Version() {}

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("/io/fairbeam/version.properties")) {
      if (in == null) {
        throw new IllegalStateException("io/fairbeam/version.properties is missing from the jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
