package dev.aura.app.cli;

import dev.aura.app.AuraException;
import dev.aura.app.config.ConfigLoader;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir} and {@code --config}, for commands that act on the Mothership of this host. */
final class HostOptions {
  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "The Mothership's data directory (default: $AURA_HOME/mothership).")
  Path dataDir;

  @Option(names = "--config", paramLabel = "FILE",
      description = "The configuration file (default: config.toml in the data directory).")
  Path config;

  DataDir dataDir(CliEnvironment env) {
    return env.home().mothership(dataDir);
  }

  MothershipConfig config(CliEnvironment env) throws AuraException {
    return config != null ? ConfigLoader.load(config, true)
        : ConfigLoader.load(dataDir(env).configFile(), false);
  }

  boolean explicitDataDir() {
    return dataDir != null || config != null;
  }
}
