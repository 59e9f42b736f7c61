package dev.aura.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.doctor.Diagnosis;
import dev.aura.app.doctor.Doctor;
import dev.aura.app.doctor.Finding;
import dev.aura.app.protocol.Wire;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aura doctor [--explain DRnnn]}. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Self-checks the Mothership on this host and the peer in this AURA_HOME, and prints a"
        + " diagnosis with codes (DR001...). Exits with 1 when an error is found.",
        "  aura doctor",
        "  aura doctor --explain DR002"})
final class DoctorCommand extends BaseCommand {
  @Option(names = "--explain", paramLabel = "DRnnn", description = "Explain a code: cause, fix, since when.")
  String explain;

  @Mixin
  HostOptions host;

  @Mixin
  JsonOption json;

  DoctorCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    if (explain != null) {
      Diagnosis d = Diagnosis.find(explain).orElseThrow(() -> new AuraException("unknown diagnostic code "
          + explain, "known codes: DR001 to DR" + String.format("%03d", Diagnosis.values().length),
          AuraException.USAGE));
      if (json.json) {
        ObjectNode o = Wire.object();
        o.put("code", d.code());
        o.put("title", d.title());
        o.put("severity", d.severity().toString());
        o.put("cause", d.cause());
        o.put("fix", d.fix());
        o.put("since", Diagnosis.SINCE);
        o.put("see", d.see());
        json.print(out(), o);
        return 0;
      }
      out().println(d.code() + "  " + d.title() + " (" + d.severity() + ")");
      out().println("cause: " + d.cause());
      out().println("fix: " + d.fix());
      out().println("since: aura " + Diagnosis.SINCE);
      out().println("see: mothership troubleshooting, \"" + d.see() + "\"");
      return 0;
    }
    MothershipConfig config = null;
    String configProblem = null;
    try {
      config = host.config(env);
    } catch (AuraException e) {
      configProblem = e.getMessage();
    }
    List<Finding> findings = new Doctor(new Doctor.Context(env.home(), host.dataDir(env), config, env.clock(),
        env.protocolVersion())).run();
    long errors = findings.stream().filter(f -> f.status() == Finding.Status.FOUND
        && f.diagnosis().severity() == Diagnosis.Severity.ERROR).count();
    long warnings = findings.stream().filter(f -> f.status() == Finding.Status.FOUND
        && f.diagnosis().severity() == Diagnosis.Severity.WARNING).count();
    if (json.json) {
      ObjectNode o = Wire.object();
      ArrayNode list = o.putArray("findings");
      for (Finding f : findings) {
        list.addObject().put("code", f.diagnosis().code()).put("status", f.label())
            .put("title", f.diagnosis().title()).put("detail", f.detail());
      }
      if (configProblem != null) {
        o.put("config_problem", configProblem);
      }
      o.put("errors", errors);
      o.put("warnings", warnings);
      json.print(out(), o);
      return errors > 0 || configProblem != null ? AuraException.FAILURE : 0;
    }
    if (configProblem != null) {
      out().println("error    " + configProblem);
    }
    for (Finding f : findings) {
      out().println(String.format("%-8s %s %s: %s", f.label(), f.diagnosis().code(), f.diagnosis().title(),
          f.detail()));
    }
    if (errors + warnings == 0 && configProblem == null) {
      out().println("no problems found");
      return 0;
    }
    String first = findings.stream().filter(f -> f.status() == Finding.Status.FOUND).map(f -> f.diagnosis().code())
        .findFirst().orElse("DR001");
    out().println(errors + " error(s), " + warnings + " warning(s); explanation: aura doctor --explain " + first);
    return errors > 0 || configProblem != null ? AuraException.FAILURE : 0;
  }
}
