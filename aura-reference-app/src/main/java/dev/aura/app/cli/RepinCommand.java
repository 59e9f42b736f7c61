package dev.aura.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.peer.PeerState;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.TransportException;
import dev.aura.tls.CertificateProbe;
import dev.aura.tls.PinSet;
import dev.aura.tls.PresentedCertificate;
import dev.aura.tls.TlsPinningException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aura mothership repin --url URL [--fingerprint FP]}. */
@Command(name = "repin", mixinStandardHelpOptions = true,
    description = {"Pins the certificate a Mothership presents now, after you confirm its fingerprint (which"
        + " you received out of band, from 'aura mothership tls info' on the Mothership host).",
        "Without --fingerprint it shows the fingerprint and asks you to type or paste it.",
        "",
        "  aura mothership repin --url https://mothership.acme.internal:7777",
        "  aura mothership repin --url https://mothership.acme.internal:7777 --fingerprint ab:cd:..."})
final class RepinCommand extends BaseCommand {
  @Option(names = "--url", required = true, paramLabel = "URL", description = "The Mothership, https://host:port.")
  String url;

  @Option(names = "--fingerprint", paramLabel = "FP",
      description = "The fingerprint you received out of band (for scripts: no prompt).")
  String fingerprint;

  @Mixin
  JsonOption json;

  RepinCommand(CliEnvironment env) {
    super(env);
  }

  @Override
  int run() throws Exception {
    URI base;
    try {
      base = MothershipClient.checkUrl(URI.create(url));
    } catch (IllegalArgumentException e) {
      throw new AuraException("--url: " + e.getMessage(), null, AuraException.USAGE);
    }
    PeerState state = new PeerState(env.home());
    PeerState.Membership membership = state.requireMembership();
    PresentedCertificate presented;
    try {
      presented = CertificateProbe.fetch(base, Duration.ofSeconds(10));
    } catch (TransportException e) {
      throw new AuraException("cannot reach " + base.getHost() + ":" + base.getPort(), e.getMessage());
    }
    Instant now = env.clock().instant();
    if (!json.json) {
      out().println("mothership: " + base);
      out().println("fingerprint: " + presented.fingerprint());
      out().println("subject: " + presented.subject());
      out().println("valid: " + Format.utc(presented.notBefore()) + " to " + Format.utcRelative(now,
          presented.notAfter()));
      out().flush();
    }
    String confirmed = fingerprint;
    if (confirmed == null) {
      if (env.stdin() == null) {
        throw new AuraException("repin needs your confirmation",
            "compare the fingerprint above with the one you received out of band, then run again with"
                + " --fingerprint FP", AuraException.USAGE);
      }
      out().print("Type or paste the fingerprint you received out of band to confirm: ");
      out().flush();
      String line;
      try {
        line = env.stdin().readLine();
      } catch (IOException e) {
        line = null;
      }
      if (line == null || line.isBlank()) {
        throw new AuraException("repin not confirmed", "no fingerprint was entered; the pin is unchanged");
      }
      confirmed = line.strip();
    }
    PinSet pins;
    try {
      pins = presented.repin(confirmed);
    } catch (TlsPinningException e) {
      throw new AuraException(e.reason().text(), e.detail());
    }
    state.savePins(pins);
    if (!membership.url().equals(base)) {
      state.saveMembership(membership.at(base));
    }
    if (json.json) {
      ObjectNode o = Wire.object();
      o.put("url", base.toString());
      o.put("pinned", presented.fingerprint().toString());
      o.put("subject", presented.subject());
      o.put("not_after", presented.notAfter().toString());
      json.print(out(), o);
    } else {
      out().println("pinned: " + presented.fingerprint());
    }
    return 0;
  }
}
