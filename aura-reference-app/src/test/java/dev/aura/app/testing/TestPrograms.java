package dev.aura.app.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Programs of the machine a test may use when they are installed (promtool, systemd-analyze). */
public final class TestPrograms {
  private TestPrograms() {}

  /** @return the first executable {@code program} on {@code PATH}, if any */
  public static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Arrays.stream(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(d -> Path.of(d, program))
        .filter(Files::isExecutable).findFirst();
  }
}
