package dev.aura.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aura.app.protocol.Wire;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --json}: machine-readable output for scripts. */
final class JsonOption {
  @Option(names = "--json", description = "Print JSON for scripts instead of text.")
  boolean json;

  void print(PrintWriter out, JsonNode node) {
    out.println(Wire.pretty(node));
  }
}
