package dev.aura.app.cli;

import dev.aura.app.config.AuraHome;
import dev.aura.app.protocol.Wire;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the CLI takes from its surroundings: environment variables ({@code AURA_HOME}), the user's home, the
 * clock, standard input (for confirmations) and how to start another copy of itself ({@code --detach}).
 * {@link #system()} is the real process; tests build their own.
 *
 * <pre>{@code
 * CliEnvironment env = CliEnvironment.builder().variable("AURA_HOME", tempDir.toString())
 *     .clock(manualClock).build();
 * int exit = AuraCli.create(env).execute("mothership", "token", "issue", "--for", "alice@acme.com");
 * }</pre>
 */
public final class CliEnvironment {
  private final Map<String, String> variables;
  private final Path userHome;
  private final Clock clock;
  private final BufferedReader stdin;
  private final int protocolVersion;
  private final List<String> selfCommand;

  private CliEnvironment(Builder b) {
    this.variables = Map.copyOf(b.variables);
    this.userHome = b.userHome;
    this.clock = b.clock;
    this.stdin = b.stdin;
    this.protocolVersion = b.protocolVersion;
    this.selfCommand = List.copyOf(b.selfCommand);
  }

  /** @return the real process's environment */
  public static CliEnvironment system() {
    String home = System.getenv("HOME");
    Builder builder = builder();
    if (home != null && !home.isBlank()) {
      builder.userHome(Path.of(home)); // ~ as the shell sees it
    }
    return builder.variables(System.getenv())
        .stdin(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
        .build();
  }

  /** @return a builder with the defaults: no variables, {@code user.home}, the system clock, no stdin */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a variable, or null */
  public String variable(String name) {
    return variables.get(name);
  }

  /** @return every variable */
  public Map<String, String> variables() {
    return variables;
  }

  /** @return {@code AURA_HOME} resolved */
  public AuraHome home() {
    return AuraHome.resolve(variables, userHome);
  }

  /** @return the clock */
  public Clock clock() {
    return clock;
  }

  /** @return standard input for confirmations, or null when there is none */
  public BufferedReader stdin() {
    return stdin;
  }

  /** @return the protocol version this CLI and the servers it starts speak */
  public int protocolVersion() {
    return protocolVersion;
  }

  /** @return the command that runs this CLI again (java, class path, main class) */
  public List<String> selfCommand() {
    return selfCommand;
  }

  /** Builds a {@link CliEnvironment}. */
  public static final class Builder {
    private final Map<String, String> variables = new java.util.HashMap<>();
    private Path userHome = Path.of(System.getProperty("user.home"));
    private Clock clock = Clock.systemUTC();
    private BufferedReader stdin;
    private int protocolVersion = Wire.PROTOCOL_VERSION;
    private List<String> selfCommand = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.aura.app.Main");

    private Builder() {}

    /** Adds every variable. */
    public Builder variables(Map<String, String> values) {
      variables.putAll(values);
      return this;
    }

    /** Sets one variable. */
    public Builder variable(String name, String value) {
      variables.put(name, value);
      return this;
    }

    /** The user's home, for the default {@code ~/.aura}. */
    public Builder userHome(Path value) {
      userHome = Objects.requireNonNull(value);
      return this;
    }

    /** The clock. */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value);
      return this;
    }

    /** Standard input, for confirmations; null for none. */
    public Builder stdin(BufferedReader value) {
      stdin = value;
      return this;
    }

    /** The protocol version, for tests of a mismatch. */
    public Builder protocolVersion(int value) {
      protocolVersion = value;
      return this;
    }

    /** The command that runs this CLI again. */
    public Builder selfCommand(List<String> value) {
      selfCommand = List.copyOf(value);
      return this;
    }

    /** @return the environment */
    public CliEnvironment build() {
      return new CliEnvironment(this);
    }
  }
}
