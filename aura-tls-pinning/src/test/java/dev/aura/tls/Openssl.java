package dev.aura.tls;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the openssl command line, bounded to 30 seconds per call. */
final class Openssl {
  static final String ABSENT = "openssl is not installed; skipping the comparison with openssl";
  private static Boolean available;

  private Openssl() {}

  private static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  static synchronized boolean available() {
    if (available == null) {
      try {
        run(null, "version");
        available = true;
      } catch (IOException | RuntimeException e) {
        available = false;
      }
    }
    return available;
  }

  /** @return standard output; throws when openssl exits non-zero */
  static String run(Path directory, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Path output = Files.createTempFile("openssl", ".out");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    try {
      Process process = builder.start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("openssl did not finish within 30 s: " + command);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IOException("openssl exited with " + process.exitValue() + ": " + command + "\n" + text);
      }
      return text;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running openssl", e);
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
