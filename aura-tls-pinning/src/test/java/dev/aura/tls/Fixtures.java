package dev.aura.tls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Shared instants and one-line identities. */
final class Fixtures {
  /** When test certificates are generated. */
  static final Instant T0 = Instant.parse("2026-04-21T10:00:00Z");

  private Fixtures() {}

  static Clock fixed(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  /** A self-signed identity generated at T0, valid 365 days. */
  static TlsIdentity identity() {
    return SelfSignedCertificateGenerator.builder(fixed(T0)).build().generate();
  }

  /** A self-signed identity generated at {@code at}, valid {@code validity}. */
  static TlsIdentity identity(Instant at, Duration validity) {
    return SelfSignedCertificateGenerator.builder(fixed(at)).validity(validity).build().generate();
  }

  /** A self-signed identity generated at T0 with the given common name. */
  static TlsIdentity identity(String commonName) {
    return SelfSignedCertificateGenerator.builder(fixed(T0)).commonName(commonName).build().generate();
  }
}
