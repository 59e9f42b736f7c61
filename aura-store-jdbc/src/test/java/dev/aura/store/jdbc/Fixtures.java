package dev.aura.store.jdbc;

import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.Jti;
import dev.aura.spi.LedgerEntry;
import dev.aura.spi.RevocationChange;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.Role;
import dev.aura.spi.SecretBytes;
import dev.aura.spi.SecretHash;
import dev.aura.spi.StoredSigningKey;
import java.time.Duration;
import java.time.Instant;

/** Values for this module's tests; time is fixed (no wall clock). */
final class Fixtures {
  /** The instant every test starts from. */
  public static final Instant T0 = Instant.parse("2026-04-21T09:00:00Z");
  /** A private JWK "d" member no test key shares with anything else, to look for in dumps. */
  public static final String PRIVATE_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";

  private Fixtures() {}

  /** A valid, distinct jti for each {@code n}. */
  public static Jti jti(long n) {
    return Jti.parse("jt_0" + String.format("%025d", n));
  }

  /** The hash of the (imaginary) compact token of {@code jti}. */
  public static SecretHash tokenHash(Jti jti) {
    return SecretHash.of("eyJhbGciOiJFZERTQSJ9." + jti.value() + ".signature");
  }

  /** A token allowing {@code uses} joins, expiring an hour after {@link #T0}. */
  public static LedgerEntry token(Jti jti, int uses) {
    return LedgerEntry.issued(jti, "carol@contractor.com", Role.MEMBER, T0, T0.plus(Duration.ofHours(1)), uses,
        tokenHash(jti));
  }

  /** Revokes a subject. */
  public static RevocationChange revokeSubject(String subject, Instant at) {
    return new RevocationChange(RevocationChange.Action.REVOKE, RevocationTarget.subject(subject),
        "admin@acme.com", at, "left the team");
  }

  /** A {@code token_used} event. */
  public static AuditEvent used(Jti jti, Instant at) {
    return AuditEvent.of(AuditEventType.TOKEN_USED, at, jti.value()).withPeer("peer_2c3d4e5f").from("10.0.1.42");
  }

  /** A primary Ed25519 key whose private JWK carries {@link #PRIVATE_D}. */
  public static StoredSigningKey primaryKey(String kid, Instant createdAt) {
    String x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    return new StoredSigningKey(kid, "EdDSA", StoredSigningKey.KeyStatus.PRIMARY, createdAt, null,
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"" + kid + "\",\"x\":\"" + x + "\"}",
        SecretBytes.ofUtf8("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"" + kid + "\",\"x\":\"" + x
            + "\",\"d\":\"" + PRIVATE_D + "\"}"));
  }
}
