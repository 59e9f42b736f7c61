package dev.aura.app.cli;

import dev.aura.app.AuraException;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.server.MothershipServer;
import dev.aura.app.server.MothershipService;
import dev.aura.tls.TlsIdentity;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aura mothership start [--port P] [--bind ADDR] [--detach]}. */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = {"Starts the Mothership: HTTPS on 0.0.0.0:7777 by default, with an embedded SQLite store, a"
        + " self-signed certificate and a signing key in the data directory (created on first start).",
        "Runs in the foreground until Ctrl-C or 'aura mothership stop'; --detach runs it in the background."})
final class StartCommand extends BaseCommand {
  private static final long DETACH_TIMEOUT_MILLIS = 60_000;

  @Mixin
  HostOptions host;

  @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default 7777; 0 picks a free one).")
  Integer port;

  @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default 0.0.0.0).")
  String bind;

  @Option(names = "--detach", description = "Run in the background; output goes to mothership.log in the data"
      + " directory.")
  boolean detach;

  StartCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    if (port != null && (port < 0 || port > 65535)) {
      throw new AuraException("--port " + port + " is not a port", "expected 1 to 65535 (or 0 for a free one)",
          AuraException.USAGE);
    }
    DataDir dir = host.dataDir(env);
    MothershipConfig config = host.config(env).withListen(bind, port);
    refuseIfRunning(dir);
    if (detach) {
      return detach(dir);
    }
    MothershipServer.Bound bound = MothershipServer.bind(config.server()); // a port in use fails first
    MothershipService service;
    try {
      service = MothershipService.open(dir, config, env.clock());
    } catch (AuraException | RuntimeException e) {
      bound.release();
      throw e;
    }
    MothershipServer server = MothershipServer.start(bound, service, env.protocolVersion());
    printStarted(server);
    out().println("stop with: aura mothership stop (or Ctrl-C)");
    out().flush();
    Thread hook = new Thread(server::close, "aura-shutdown-hook");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      server.awaitStop();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running
      }
    }
    out().println("stopped");
    return 0;
  }

  private void printStarted(MothershipServer server) {
    MothershipService m = server.mothership();
    TlsIdentity identity = m.certificates().current();
    out().println("mothership: " + m.id());
    out().println("listening: " + server.listening());
    out().println("fingerprint: " + identity.fingerprint());
    out().println("certificate: " + m.certificates().certificateFile());
    out().println("certificate_expires: " + Format.utcRelative(env.clock().instant(), identity.notAfter()));
    out().println("data_dir: " + m.dataDir().root());
    out().println("store: " + m.stores().databaseKind() + " " + m.stores().location());
  }

  private void refuseIfRunning(DataDir dir) throws AuraException {
    OptionalLong pid;
    try {
      pid = dir.readPid();
    } catch (IOException e) {
      pid = OptionalLong.empty();
    }
    if (pid.isEmpty()) {
      return;
    }
    long p = pid.getAsLong();
    boolean running = p == ProcessHandle.current().pid()
        || (Processes.alive(p) && Processes.looksLikeMothership(p));
    if (running) {
      throw new AuraException("a Mothership is already running from " + dir.root() + " (pid " + p + ")",
          "stop it first with: aura mothership stop");
    }
    try {
      dir.clearRuntime(); // stale record of a Mothership that did not clean up
    } catch (IOException e) {
      throw new AuraException("cannot remove the stale pid file " + dir.pidFile(), e.getMessage());
    }
  }

  private int detach(DataDir dir) throws Exception {
    dir.create();
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid"); // its own session: closing the terminal does not stop it
    }
    command.addAll(env.selfCommand());
    command.addAll(List.of("mothership", "start", "--data-dir", dir.root().toString()));
    if (host.config != null) {
      command.addAll(List.of("--config", host.config.toAbsolutePath().toString()));
    }
    if (port != null) {
      command.addAll(List.of("--port", port.toString()));
    }
    if (bind != null) {
      command.addAll(List.of("--bind", bind));
    }
    Path log = dir.logFile();
    long offset = Files.exists(log) ? Files.size(log) : 0;
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("AURA_HOME", env.home().root().toString());
    Process child = builder.start();
    long deadline = System.nanoTime() + DETACH_TIMEOUT_MILLIS * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (!child.isAlive()) {
        List<String> lines = readFrom(log, offset);
        String what = null;
        String why = null;
        for (String line : lines) {
          if (line.startsWith("error: ") && what == null) {
            what = line.substring(7);
          } else if (line.startsWith("caused by: ") && what != null && why == null) {
            why = line.substring(11);
          }
        }
        if (what != null) {
          throw new AuraException(what, why);
        }
        throw new AuraException("the Mothership exited during start-up (exit code " + child.exitValue() + ")",
            "see " + log);
      }
      OptionalLong recorded = dir.readPid();
      List<String> printed = readFrom(log, offset);
      boolean announced = printed.stream().anyMatch(l -> l.startsWith("store: "))
          || System.nanoTime() > deadline - 2_000_000_000L; // its lines may lag the runtime files under load
      if (recorded.isPresent() && recorded.getAsLong() == child.pid() && Files.exists(dir.urlFile()) && announced) {
        for (String line : printed) {
          if (line.matches("(mothership|listening|fingerprint|certificate|certificate_expires|data_dir|store): .*")) {
            out().println(line);
          }
        }
        out().println("pid: " + child.pid());
        out().println("log: " + log);
        return 0;
      }
      Thread.sleep(100);
    }
    throw new AuraException("the Mothership did not start within " + DETACH_TIMEOUT_MILLIS / 1000 + "s",
        "see " + log + " (process " + child.pid() + " is still running)");
  }

  private static List<String> readFrom(Path log, long offset) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = Math.min(file.length() - offset, 1 << 20);
      if (length <= 0) {
        return List.of();
      }
      byte[] bytes = new byte[(int) length];
      file.seek(offset);
      file.readFully(bytes);
      return List.of(new String(bytes, StandardCharsets.UTF_8).split("\n"));
    }
  }
}
