package dev.aura.app.cli;

import java.util.Optional;

/** Process checks for the pid file. */
final class Processes {
  private Processes() {}

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** @return whether the process looks like a Mothership (true when the command line is not visible) */
  static boolean looksLikeMothership(long pid) {
    Optional<ProcessHandle.Info> info = ProcessHandle.of(pid).map(ProcessHandle::info);
    Optional<String[]> arguments = info.flatMap(ProcessHandle.Info::arguments);
    if (arguments.isEmpty()) {
      return true; // the arguments are not visible (or too long for the OS to report): assume it is
    }
    String all = String.join(" ", arguments.get());
    return all.contains("dev.aura.app.Main") || all.contains("aura.jar") || all.contains("mothership");
  }
}
