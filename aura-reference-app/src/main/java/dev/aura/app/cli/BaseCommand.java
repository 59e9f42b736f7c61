package dev.aura.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.protocol.Wire;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: the environment and the injected output writers. */
abstract class BaseCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  final CliEnvironment env;

  BaseCommand(CliEnvironment env) {
    this.env = env;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  @Override
  public final Integer call() throws Exception {
    try {
      return run();
    } catch (LinkageError | StackOverflowError e) {
      // A broken installation (a missing class) is reported like any failure: never a stack trace.
      throw new dev.aura.app.AuraException("unexpected failure in " + spec.qualifiedName(), e.toString());
    } finally {
      out().flush();
      err().flush();
    }
  }

  abstract int run() throws Exception;

  /** Parses a command-line argument; a value the parser refuses is a usage error with the parser's message. */
  static <T> T argument(Function<String, T> parser, String value) throws AuraException {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new AuraException(e.getMessage(), null, AuraException.USAGE);
    }
  }

  /** Calls an admin route with a request of one field, on this host's Mothership or the one joined. */
  JsonNode admin(HostOptions host, String route, String field, String value) throws Exception {
    ObjectNode request = Wire.object();
    if (field != null) {
      request.put(field, value);
    }
    return AdminTarget.resolve(env, host).post(Wire.ADMIN + route, request).body();
  }

  /** Prints the reply as JSON when {@code --json} was given; returns whether it did. */
  boolean printedAsJson(JsonOption json, JsonNode reply) {
    if (json.json) {
      json.print(out(), reply);
    }
    return json.json;
  }
}
