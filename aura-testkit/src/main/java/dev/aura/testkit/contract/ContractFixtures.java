package dev.aura.testkit.contract;

import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.Jti;
import dev.aura.spi.LedgerEntry;
import dev.aura.spi.PeerId;
import dev.aura.spi.PeerRecord;
import dev.aura.spi.RefreshCredentialRecord;
import dev.aura.spi.RevocationChange;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.Role;
import dev.aura.spi.SecretBytes;
import dev.aura.spi.SecretHash;
import dev.aura.spi.StoredSigningKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Valid, unique values for store tests: ids in their canonical forms and records with sensible defaults.
 * Used by the contract suites; usable by any store test.
 *
 * <pre>{@code
 * Jti jti = ContractFixtures.jti();                       // jt_ + 26 Crockford base32, unique in this JVM
 * LedgerEntry entry = ContractFixtures.ledgerEntry(jti, 1, ContractFixtures.T0.plusSeconds(900));
 * }</pre>
 *
 * <p>Ids are unique within a JVM (a counter from a random start), so stores shared between tests do not
 * collide. Instants are whole seconds unless a test says otherwise, so stores with coarser timestamp
 * columns round-trip them.
 */
public final class ContractFixtures {
  /** The instant the fixtures treat as "now": 2025-01-15T10:00:00Z. */
  public static final Instant T0 = Instant.parse("2025-01-15T10:00:00Z");

  private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Random per JVM: the leading characters of every jti; a counter fills the trailing 60 bits. */
  private static final long JTI_HIGH = RANDOM.nextLong();
  private static final AtomicLong JTI_COUNTER = new AtomicLong(RANDOM.nextLong() >>> 4);
  private static final AtomicLong PEER_COUNTER = new AtomicLong(RANDOM.nextInt() & 0xffff_ffffL);
  private static final AtomicLong CREDENTIAL_COUNTER = new AtomicLong();
  private static final String CREDENTIAL_PREFIX = "rc_" + Long.toHexString(RANDOM.nextLong() >>> 16) + "_";

  private ContractFixtures() {}

  /** @return a valid jti, different from every other this method returned in this JVM */
  public static Jti jti() {
    long low = JTI_COUNTER.getAndIncrement() & 0x0fff_ffff_ffff_ffffL; // 60 bits: 12 characters
    char[] out = new char[26];
    for (int i = 25; i >= 14; i--) {
      out[i] = CROCKFORD.charAt((int) (low & 31));
      low >>>= 5;
    }
    long high = JTI_HIGH;
    for (int i = 13; i >= 1; i--) {
      out[i] = CROCKFORD.charAt((int) (high & 31));
      high >>>= 5;
    }
    out[0] = CROCKFORD.charAt((int) (high & 7)); // a ULID's first character carries 3 bits
    return new Jti(Jti.PREFIX + new String(out));
  }

  /** @return a valid peer id, different from every other this method returned in this JVM */
  public static PeerId peerId() {
    return new PeerId(String.format("%s%08x", PeerId.PREFIX, PEER_COUNTER.getAndIncrement() & 0xffff_ffffL));
  }

  /** @return a refresh credential id, different from every other this method returned in this JVM */
  public static String credentialId() {
    return CREDENTIAL_PREFIX + CREDENTIAL_COUNTER.incrementAndGet();
  }

  /**
   * @param secret a stand-in for a token or credential
   * @return its hash, as a store keeps it
   */
  public static SecretHash hashOf(String secret) {
    return SecretHash.of(secret);
  }

  /**
   * A freshly issued token for {@code carol@example.com}, issued at {@link #T0}.
   *
   * @param jti its id
   * @param allowedUses 1 for one-shot
   * @param expiresAt after {@link #T0}
   * @return the entry, with the hash of {@code "token-" + jti}
   */
  public static LedgerEntry ledgerEntry(Jti jti, int allowedUses, Instant expiresAt) {
    return LedgerEntry.issued(jti, "carol@example.com", Role.MEMBER, T0, expiresAt, allowedUses,
        tokenHash(jti));
  }

  /**
   * @param jti a token's id
   * @return the hash {@link #ledgerEntry} records for it
   */
  public static SecretHash tokenHash(Jti jti) {
    return hashOf("token-" + jti.value());
  }

  /**
   * @param target what is revoked
   * @param at when
   * @return a revocation by {@code admin@example.com} with no reason
   */
  public static RevocationChange revoke(RevocationTarget target, Instant at) {
    return new RevocationChange(RevocationChange.Action.REVOKE, target, "admin@example.com", at, null);
  }

  /**
   * @param type what happened
   * @param at when
   * @return an event referring to a fresh jti, with no optional field set
   */
  public static AuditEvent auditEvent(AuditEventType type, Instant at) {
    return AuditEvent.of(type, at, jti().value());
  }

  /**
   * A primary Ed25519 key with a private part.
   *
   * @param kid its id
   * @param createdAt when it was generated
   * @return the key
   */
  public static StoredSigningKey primaryKey(String kid, Instant createdAt) {
    return new StoredSigningKey(kid, "EdDSA", StoredSigningKey.KeyStatus.PRIMARY, createdAt, null,
        publicJwk(kid), SecretBytes.ofUtf8(
            "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"" + kid + "\",\"d\":\"test-only-" + kid + "\"}"));
  }

  /**
   * A primary Ed25519 key without its private part, as a verify-only node holds it.
   *
   * @param kid its id
   * @param createdAt when it was generated
   * @return the key
   */
  public static StoredSigningKey verifyOnlyKey(String kid, Instant createdAt) {
    return new StoredSigningKey(kid, "EdDSA", StoredSigningKey.KeyStatus.PRIMARY, createdAt, null,
        publicJwk(kid), null);
  }

  private static String publicJwk(String kid) {
    return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"" + kid + "\",\"x\":\"public-" + kid + "\"}";
  }

  /**
   * A peer of {@code carol@example.com} that joined and was last seen at {@code at}.
   *
   * @param id its id
   * @param at when it joined
   * @param addresses its announced addresses
   * @return the record
   */
  public static PeerRecord peer(PeerId id, Instant at, String... addresses) {
    return new PeerRecord(id, "carol@example.com", Role.MEMBER, jti(), at, at, List.of(addresses));
  }

  /**
   * A credential with a fresh id, issued at {@code issuedAt} for a week.
   *
   * @param peer its holder
   * @param issuedAt when it was issued
   * @return the record, with the hash of {@code "credential-" + id}
   */
  public static RefreshCredentialRecord credential(PeerId peer, Instant issuedAt) {
    String id = credentialId();
    return new RefreshCredentialRecord(id, peer, hashOf("credential-" + id), issuedAt,
        issuedAt.plus(Duration.ofDays(7)));
  }
}
