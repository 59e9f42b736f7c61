package dev.aura.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.testing.Cli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's shape: version, help on every command, completion, usage errors. */
class CommandLineTest {
  @TempDir
  Path temp;

  private CliEnvironment env() {
    return CliEnvironment.builder().variable("AURA_HOME", temp.toString()).userHome(temp).build();
  }

  @Test
  void version_namesTheBuildAndTheProtocol() {
    Cli.Result r = Cli.run(env(), "--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).matches("aura \\S+ \\(protocol v1\\)\\n");
  }

  @Test
  void everyCommand_hasHelpOnStdout() {
    List<List<String>> paths = new ArrayList<>();
    collect(AuraCli.create(env()), new ArrayList<>(), paths);
    assertThat(paths).extracting(p -> String.join(" ", p)).contains("mothership start", "mothership stop",
        "mothership status", "mothership ping", "mothership tls info", "mothership tls rotate", "mothership repin",
        "mothership peer-config", "mothership token issue", "mothership token revoke", "mothership token decode",
        "mothership join", "mothership peers", "mothership peer revoke", "mothership peer unrevoke",
        "mothership peer kick", "mothership audit", "mothership rotate-key", "mothership connect", "doctor",
        "completion");
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Cli.Result r = Cli.run(env(), args.toArray(new String[0]));
      assertThat(r.exit()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).startsWith("Usage: aura " + String.join(" ", path));
      assertThat(r.err()).isEmpty();
    }
  }

  private static void collect(CommandLine cli, List<String> prefix, List<List<String>> out) {
    for (var e : cli.getSubcommands().entrySet()) {
      List<String> path = new ArrayList<>(prefix);
      path.add(e.getKey());
      out.add(path);
      collect(e.getValue(), path, out);
    }
  }

  @Test
  void completion_printsABashScriptForEveryCommand() {
    Cli.Result r = Cli.run(env(), "completion");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_aura")
        .contains("rotate-key").contains("peer-config");
  }

  @Test
  void unknownOption_isAUsageErrorOnStderr() {
    Cli.Result r = Cli.run(env(), "mothership", "peers", "--colour");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: Unknown option: '--colour'\nusage: aura mothership peers --help\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void adminCommand_withNoMothershipAndNoMembership_saysWhatToDo() {
    Cli.Result r = Cli.run(env(), "mothership", "peers");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: no Mothership here, and this AURA_HOME has not joined one\ncaused by: ");
  }

  @Test
  void peerCommand_beforeJoining_saysSo() {
    Cli.Result r = Cli.run(env(), "mothership", "peer-config", "--show-pinned");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: this AURA_HOME has not joined a Mothership\ncaused by: no ");
  }
}
