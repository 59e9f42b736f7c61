package dev.aura.app.cli;

import dev.aura.app.AuraException;
import dev.aura.app.config.DataDir;
import dev.aura.app.protocol.Wire;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code aura mothership stop}: stops the Mothership recorded in the pid file, or cleans up a stale one. */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = {"Stops the running Mothership (found through the pid file in the data directory).",
        "Removes a stale pid file when the process is gone."})
final class StopCommand extends BaseCommand {
  @Mixin
  HostOptions host;

  StopCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    DataDir dir = host.dataDir(env);
    OptionalLong recorded;
    try {
      recorded = dir.readPid();
    } catch (IOException e) {
      dir.clearRuntime();
      out().println("removed a damaged pid file (" + e.getMessage() + ")");
      return 0;
    }
    if (recorded.isEmpty()) {
      out().println("not running (no pid file in " + dir.root() + ")");
      return 0;
    }
    long pid = recorded.getAsLong();
    boolean self = pid == ProcessHandle.current().pid();
    if (!self && (!Processes.alive(pid) || !Processes.looksLikeMothership(pid))) {
      dir.clearRuntime();
      out().println("removed stale pid file (process " + pid + " is not running)");
      return 0;
    }
    boolean asked = false;
    try {
      Optional<AdminTarget> target = AdminTarget.local(env, host);
      if (target.isPresent()) {
        target.get().post(Wire.ADMIN + "shutdown", Wire.object());
        asked = true;
      }
    } catch (AuraException e) {
      if (self) {
        throw new AuraException("cannot stop the Mothership (pid " + pid + ")", e.what()
            + e.why().map(w -> ": " + w).orElse(""));
      }
    }
    if (!asked) {
      ProcessHandle process = ProcessHandle.of(pid).orElse(null);
      if (process != null) {
        process.destroy(); // SIGTERM: the Mothership's shutdown hook stops it cleanly
        try {
          process.onExit().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          process.destroyForcibly();
        }
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline && Files.exists(dir.pidFile())) {
      if (!self && !Processes.alive(pid)) {
        dir.clearRuntime();
        break;
      }
      Thread.sleep(50);
    }
    if (Files.exists(dir.pidFile())) {
      throw new AuraException("the Mothership (pid " + pid + ") did not stop within 15s",
          "stop it with: kill " + pid);
    }
    if (!self) {
      ProcessHandle.of(pid).ifPresent(p -> {
        try {
          p.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          // it removed its pid file; it is exiting
        }
      });
    }
    out().println("stopped mothership (pid " + pid + ")");
    return 0;
  }
}
