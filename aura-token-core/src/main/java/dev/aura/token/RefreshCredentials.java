package dev.aura.token;

import dev.aura.spi.MothershipId;
import dev.aura.spi.PeerId;
import dev.aura.spi.RefreshCredentialRecord;
import dev.aura.spi.RefreshCredentialStore;
import dev.aura.spi.Role;
import dev.aura.spi.SecretHash;
import dev.aura.spi.StoreException;
import dev.aura.token.internal.Ulid;
import dev.aura.token.internal.Settings;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Long-lived refresh credentials for joined peers, rotated automatically (default weekly).
 *
 * <p>A credential is a compact JWS of type {@code aura-refresh+jwt}, signed by the Mothership's key ring, so it
 * can never be accepted as a join token or the reverse. The store keeps only its id and SHA-256, so a leaked
 * database cannot be replayed. A credential is accepted while it is the peer's current one and younger than
 * the rotation period; rotating replaces it atomically, after which the old one is refused ("refresh
 * credential superseded"), so a stolen week-old credential is useless.
 *
 * <pre>{@code
 * RefreshCredentials credentials = RefreshCredentials.builder()
 *     .mothershipId(id).keyRing(ring).store(refreshStore).clock(clock)
 *     .revocation(revocationList)
 *     .build();
 * IssuedRefreshCredential first = credentials.issue(peerId, "alice@acme.com", Role.MEMBER, joinedAt);
 * AuthenticatedPeer who = credentials.authenticate(presented);
 * if (who.shouldRotate(clock.instant())) { IssuedRefreshCredential next = credentials.rotate(presented); }
 * }</pre>
 */
public final class RefreshCredentials {
  /** The default rotation period. */
  public static final Duration DEFAULT_ROTATION = Duration.ofDays(7);
  private static final String AUDIENCE = "aura-mothership";

  private final MothershipId mothershipId;
  private final KeyRing keyRing;
  private final RefreshCredentialStore store;
  private final Clock clock;
  private final Duration rotation;
  private final RevocationCheck revocation;
  private final SecureRandom random = new SecureRandom();

  private RefreshCredentials(Builder b) {
    this.mothershipId = b.mothershipId;
    this.keyRing = b.keyRing;
    this.store = b.store;
    this.clock = b.clock;
    this.rotation = b.rotation == null ? DEFAULT_ROTATION : b.rotation;
    this.revocation = b.revocation;
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the rotation period */
  public Duration rotationPeriod() {
    return rotation;
  }

  /**
   * Issues a peer's first credential at join, replacing any it had: {@link #mint} and {@link #issue(Minted)}.
   *
   * @throws StoreException if the store failed; then the credential must not be handed out
   */
  public IssuedRefreshCredential issue(PeerId peer, String subject, Role role, Instant joinedAt)
      throws StoreException {
    return issue(mint(peer, subject, role, joinedAt));
  }

  /**
   * Signs a credential without storing it: the half of an issue or rotation that needs no store, so a caller
   * can sign before it opens a unit of work and keep the signature out of it (on SQLite units run one at a
   * time under the writer lock). The credential is valid only once {@link #issue(Minted)} or
   * {@link #rotate(AuthenticatedPeer, Minted)} stored it.
   */
  public Minted mint(PeerId peer, String subject, Role role, Instant joinedAt) {
    Instant now = clock.instant();
    Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
    Instant exp = iat.plus(rotation);
    String id = "rc_" + Ulid.next(now, random);
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", mothershipId.value());
    claims.put("sub", peer.value());
    claims.put("aud", AUDIENCE);
    claims.put("iat", iat.getEpochSecond());
    claims.put("exp", exp.getEpochSecond());
    claims.put("jti", id);
    claims.put("subject", subject);
    claims.put("role", role.wireName());
    claims.put("joined_at", joinedAt.getEpochSecond());
    String credential = TypedJws.sign(keyRing, TokenType.REFRESH, claims);
    Instant rotateAfter = iat.plus(rotation.dividedBy(2));
    return new Minted(new IssuedRefreshCredential(credential, id, peer, iat, exp, rotateAfter),
        new RefreshCredentialRecord(id, peer, SecretHash.of(credential), iat, exp));
  }

  /**
   * Stores a {@link #mint}ed credential as its peer's first, replacing any it had.
   *
   * @throws StoreException if the store failed; then the credential must not be handed out
   */
  public IssuedRefreshCredential issue(Minted minted) throws StoreException {
    store.issue(minted.record);
    return minted.issued;
  }

  /**
   * Accepts a credential: signature and type, expiry, still current in the store (constant-time hash
   * comparison), not revoked.
   *
   * @throws TokenRejectedException {@code MALFORMED}, {@code INVALID_SIGNATURE}, {@code WRONG_TYPE},
   *     {@code EXPIRED}, {@code CREDENTIAL_SUPERSEDED} or {@code REVOKED}
   * @throws StoreException if the store failed
   */
  public AuthenticatedPeer authenticate(String credential) throws TokenRejectedException, StoreException {
    Instant now = clock.instant();
    VerifiedJws jws = TypedJws.verify(credential, TokenType.REFRESH, keyRing.publicKeys(),
        TypedJws.DEFAULT_ALGORITHMS, now);
    Claims c = jws.claims();
    if (!mothershipId.value().equals(c.string("iss")) || !AUDIENCE.equals(c.string("aud"))) {
      throw new TokenRejectedException(RejectionReason.WRONG_ISSUER,
          "refresh credential was not issued by this Mothership");
    }
    PeerId peer;
    Role role;
    try {
      peer = PeerId.parse(c.string("sub"));
      role = Role.parse(c.string("role"));
    } catch (IllegalArgumentException e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, e.getMessage());
    }
    String id = c.string("jti");
    String subject = c.subject("subject");
    Instant joinedAt = c.numericDate("joined_at");
    Instant iat = c.numericDate("iat");
    Instant exp = c.numericDate("exp");
    if (!now.isBefore(exp)) {
      throw new TokenRejectedException(RejectionReason.EXPIRED, "refresh credential " + id + " expired at "
          + exp + "; the peer must rejoin with a new join token", Duration.between(now, exp));
    }
    Optional<RefreshCredentialRecord> current = store.find(id);
    if (current.isEmpty() || !current.get().peer().equals(peer)
        || !current.get().hash().equals(SecretHash.of(credential))) {
      throw new TokenRejectedException(RejectionReason.CREDENTIAL_SUPERSEDED, "refresh credential " + id
          + " of " + peer + " is not current (it was rotated out, or never issued here)");
    }
    Optional<String> revoked = revocation.revocationOfPeer(peer, subject, joinedAt);
    if (revoked.isPresent()) {
      throw new TokenRejectedException(RejectionReason.REVOKED, revoked.get());
    }
    Instant rotateAfter = iat.plus(Duration.between(iat, exp).dividedBy(2));
    return new AuthenticatedPeer(peer, subject, role, joinedAt, id, iat, exp, rotateAfter);
  }

  /**
   * Rotates a credential: authenticates it, then atomically replaces it with a new one.
   *
   * @throws TokenRejectedException as {@link #authenticate}, or {@code CREDENTIAL_SUPERSEDED} if another
   *     rotation of the same credential won
   * @throws StoreException if the store failed; then the old credential stays current
   */
  public IssuedRefreshCredential rotate(String credential) throws TokenRejectedException, StoreException {
    AuthenticatedPeer who = authenticate(credential);
    return rotate(who, mint(who.peer(), who.subject(), who.role(), who.joinedAt()));
  }

  /**
   * The store half of {@link #rotate(String)}: atomically replaces the credential {@code who} authenticated
   * with {@code next}, {@link #mint}ed for the same peer, subject, role and join time.
   *
   * @throws TokenRejectedException {@code CREDENTIAL_SUPERSEDED} if another rotation of the same credential
   *     won; then {@code next} was not stored
   * @throws StoreException if the store failed; then the old credential stays current
   * @throws IllegalArgumentException if {@code next} was minted for another peer
   */
  public IssuedRefreshCredential rotate(AuthenticatedPeer who, Minted next)
      throws TokenRejectedException, StoreException {
    if (!who.peer().equals(next.issued.peer())) {
      throw new IllegalArgumentException("credential minted for " + next.issued.peer() + ", not " + who.peer());
    }
    if (!store.rotate(who.credentialId(), next.record)) {
      throw new TokenRejectedException(RejectionReason.CREDENTIAL_SUPERSEDED,
          "refresh credential " + who.credentialId() + " was rotated concurrently");
    }
    return next.issued;
  }

  /** A credential {@link #mint}ed and not yet stored; its text is handed out only once stored. */
  public static final class Minted {
    private final IssuedRefreshCredential issued;
    private final RefreshCredentialRecord record;

    private Minted(IssuedRefreshCredential issued, RefreshCredentialRecord record) {
      this.issued = issued;
      this.record = record;
    }

    /** @return the peer it was minted for */
    public PeerId peer() {
      return issued.peer();
    }

    /** @return the credential's id ({@code jti}) */
    public String credentialId() {
      return issued.credentialId();
    }

    @Override
    public String toString() {
      return "Minted[" + issued.credentialId() + " of " + issued.peer() + "]";
    }
  }

  /** Configures {@link RefreshCredentials}. */
  public static final class Builder {
    private MothershipId mothershipId;
    private KeyRing keyRing;
    private RefreshCredentialStore store;
    private Clock clock;
    private Duration rotation;
    private RevocationCheck revocation;

    private Builder() {}

    /** The issuer. Required. */
    public Builder mothershipId(MothershipId value) {
      mothershipId = Settings.setOnce(mothershipId, value, "mothershipId");
      return this;
    }

    /** Signs and verifies credentials. Required. */
    public Builder keyRing(KeyRing value) {
      keyRing = Settings.setOnce(keyRing, value, "keyRing");
      return this;
    }

    /** Keeps ids and hashes. Required. */
    public Builder store(RefreshCredentialStore value) {
      store = Settings.setOnce(store, value, "store");
      return this;
    }

    /** Required. */
    public Builder clock(Clock value) {
      clock = Settings.setOnce(clock, value, "clock");
      return this;
    }

    /** How long a credential lives; default 7 days, at least 1 hour, at most 90 days. */
    public Builder rotationPeriod(Duration value) {
      if (value.compareTo(Duration.ofHours(1)) < 0 || value.compareTo(Duration.ofDays(90)) > 0) {
        throw new IllegalArgumentException("refresh rotation period must be between 1h and 90d, got " + value);
      }
      rotation = Settings.setOnce(rotation, value, "rotationPeriod");
      return this;
    }

    /** Consulted on every authentication. This or {@link #withoutRevocationCheck()} is required. */
    public Builder revocation(RevocationCheck value) {
      revocation = Settings.setOnce(revocation, value, "revocation");
      return this;
    }

    /** The explicit decision to authenticate without any revocation list. */
    public Builder withoutRevocationCheck() {
      revocation = Settings.setOnce(revocation, RevocationCheck.none(), "revocation");
      return this;
    }

    /** @throws IllegalStateException naming the first missing setting */
    public RefreshCredentials build() {
      Settings.requirePresent(mothershipId, "mothershipId");
      Settings.requirePresent(keyRing, "keyRing");
      Settings.requirePresent(store, "store");
      Settings.requirePresent(clock, "clock");
      Settings.requireRevocationDecision(revocation);
      return new RefreshCredentials(this);
    }
  }
}
