package dev.aura.app.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where Aura keeps its state: {@code AURA_HOME} (default {@code ~/.aura}) holds a peer's configuration, pinned
 * fingerprints and credentials; the Mothership's data directory defaults to {@code $AURA_HOME/mothership}.
 *
 * @param root the resolved {@code AURA_HOME}
 */
public record AuraHome(Path root) {
  /** The environment variable naming the home directory. */
  public static final String VARIABLE = "AURA_HOME";

  /** Normalises the path. */
  public AuraHome {
    root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  /**
   * @param environment the process environment (or a test's)
   * @param userHome the user's home directory, for the default {@code ~/.aura}
   */
  public static AuraHome resolve(Map<String, String> environment, Path userHome) {
    String value = environment.get(VARIABLE);
    if (value != null && !value.isBlank()) {
      return new AuraHome(Path.of(value));
    }
    return new AuraHome(userHome.resolve(".aura"));
  }

  /** @return the Mothership data directory, {@code --data-dir} when given */
  public DataDir mothership(Path dataDirOverride) {
    return new DataDir(dataDirOverride != null ? dataDirOverride : root.resolve("mothership"));
  }
}
