package dev.aura.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.protocol.Wire;
import dev.aura.app.server.TlsCertificates;
import dev.aura.tls.CertificateRing;
import dev.aura.tls.PreviousCertificate;
import dev.aura.tls.TlsIdentity;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aura mothership tls info|rotate}. */
@Command(name = "tls", mixinStandardHelpOptions = true, description = "The Mothership's TLS certificate.",
    subcommands = {TlsCommand.Info.class, TlsCommand.Rotate.class})
final class TlsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code tls info}: read from the data directory; works whether or not the Mothership runs. */
  @Command(name = "info", mixinStandardHelpOptions = true,
      description = "Shows the certificate the Mothership serves: fingerprint (what peers pin), subject and"
          + " validity, and certificates still accepted after a rotation.")
  static final class Info extends BaseCommand {
    @Mixin
    HostOptions host;

    @Mixin
    JsonOption json;

    Info(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() throws Exception {
      DataDir dir = host.dataDir(env);
      MothershipConfig config = host.config(env);
      CertificateRing ring = TlsCertificates.readOnly(dir, config.tls(), env.clock()).orElseThrow(() ->
          new AuraException("no Mothership certificate in " + dir.root(),
              "start the Mothership once (aura mothership start) to generate it"));
      Instant now = env.clock().instant();
      TlsIdentity current = ring.current();
      String file = config.tls().operatorProvided() ? config.tls().certFile().toString()
          : dir.certificate().toString();
      if (json.json) {
        ObjectNode o = Wire.object();
        o.put("fingerprint", current.fingerprint().toString());
        o.put("subject", current.subject());
        o.put("not_before", current.notBefore().toString());
        o.put("not_after", current.notAfter().toString());
        o.put("certificate_file", file);
        ArrayNode previous = o.putArray("previous");
        for (PreviousCertificate p : ring.previous()) {
          if (p.inGraceAt(now)) {
            previous.addObject().put("fingerprint", p.identity().fingerprint().toString())
                .put("accepted_until", p.retireAt().toString());
          }
        }
        json.print(out(), o);
        return 0;
      }
      out().println("fingerprint: " + current.fingerprint());
      out().println("subject: " + current.subject());
      out().println("not_before: " + Format.utc(current.notBefore()));
      out().println("not_after: " + Format.utcRelative(now, current.notAfter()));
      out().println("file: " + file);
      for (PreviousCertificate p : ring.previous()) {
        if (p.inGraceAt(now)) {
          out().println("previous: " + p.identity().fingerprint() + " (accepted until "
              + Format.utcRelative(now, p.retireAt()) + ")");
        }
      }
      return 0;
    }
  }

  /** {@code tls rotate}. */
  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = {"Generates a new self-signed certificate and serves it at once. The old one stays accepted"
          + " for the grace ([tls] rotation_grace, default 24h); connected peers receive a signed handover and"
          + " follow it. Peers that were offline during the grace need 'aura mothership repin'."})
  static final class Rotate extends BaseCommand {
    @Mixin
    HostOptions host;

    @Mixin
    JsonOption json;

    Rotate(CliEnvironment env) {
      super(env);
    }

    @Override
    int run() throws Exception {
      JsonNode r = admin(host, "tls/rotate", null, null);
      if (printedAsJson(json, r)) {
        return 0;
      }
      Instant now = env.clock().instant();
      out().println("fingerprint: " + r.path("fingerprint").asText());
      out().println("not_after: " + Format.utcRelative(now, Instant.parse(r.path("not_after").asText())));
      out().println("previous: " + r.path("previous_fingerprint").asText() + " (accepted until "
          + Format.utcRelative(now, Instant.parse(r.path("previous_accepted_until").asText())) + ")");
      out().println("connected_peers_notified: " + r.path("connected_peers_notified").asLong());
      out().println("peers offline until the grace ends must repin: aura mothership repin --url URL"
          + " --fingerprint " + r.path("fingerprint").asText());
      return 0;
    }
  }
}
