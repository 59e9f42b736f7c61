package dev.aura.token;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.Jti;
import dev.aura.spi.MothershipId;
import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import dev.aura.token.internal.Base64Url;
import dev.aura.token.internal.Settings;
import dev.aura.token.internal.StrictJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, on a peer, the identity another peer shows on a direct connection: signed by its Mothership, bound
 * to the key the TLS connection was made with, current, sharing a workspace and not revoked. Only then is
 * the connection authenticated; until then the other side is anyone who owns a key pair.
 *
 * <pre>{@code
 * PeerIdentityVerifier verifier = PeerIdentityVerifier.builder()
 *     .mothershipId(MothershipId.parse("mship_7fcd21a9"))
 *     .keys(() -> mothershipPublicKeys)            // the peer's copy of the Mothership's JWK set
 *     .clock(Clock.systemUTC())
 *     .ownWorkspaces(() -> myIdentity.workspaces()) // this peer's own grant (empty: every workspace)
 *     .revocation(peerRevocationCache)             // the saved, verified copy; stale fails closed
 *     .build();
 * VerifiedPeerIdentity them = verifier.verify(receivedIdentity, PeerTls.presentedFingerprint(sslSession));
 * }</pre>
 *
 * <p>Checks, in order; the first that fails decides the {@link RejectionReason}:
 *
 * <ol>
 *   <li>strict pre-parse, algorithm bound to {@code kid} in the Mothership's ring, exact-length signature,
 *       {@code typ} {@code aura-peer-identity+jwt}: see {@link TypedJws#verify} ({@code malformed},
 *       {@code invalid_signature}: forged, or signed by another Mothership's key; {@code wrong_type});
 *   <li>claims: {@code iss sub subject role joined_at iat exp jti cnf} present with the right types,
 *       {@code sub} a peer id, {@code cnf} exactly {@code {"x5t#S256": <base64url of 32 bytes>}},
 *       {@code workspaces} as in a join token, {@code exp} after {@code iat} ({@code malformed});
 *   <li>{@code iss} is the expected Mothership ({@code wrong_issuer}: a foreign identity signed by a
 *       Mothership sharing the key);
 *   <li>the join-token clock skew rule: expired once {@code now >= exp + skew}, not yet valid while
 *       {@code iat > now + skew} ({@code expired}, {@code not_yet_valid}); a lifetime above
 *       {@link Builder#maxLifetime} is refused ({@code lifetime_too_long});
 *   <li>{@code cnf} names the certificate the connection was made with ({@code key_mismatch}: someone else's
 *       identity replayed on another key);
 *   <li>its workspaces and this peer's own share at least one ({@code no_shared_workspace});
 *   <li>not revoked by peer id, subject (joined up to the revocation's second) or jti
 *       ({@code revoked}; a stale copy of the list refuses too, under its fail-closed policy).
 * </ol>
 *
 * <p>Every refusal is logged at WARN with its code and message (never the identity itself) and thrown as a
 * {@link TokenRejectedException} whose message starts with the product's wording, for example
 * {@code peer identity is for another key: ...}.
 *
 * <p>Thread-safe and immutable.
 */
public final class PeerIdentityVerifier {
  /** The longest identity lifetime anyone may configure: the default refresh credential rotation. */
  public static final Duration MAX_LIFETIME = RefreshCredentials.DEFAULT_ROTATION;
  private static final Logger LOG = LoggerFactory.getLogger(PeerIdentityVerifier.class);

  private final MothershipId mothershipId;
  private final Supplier<PublicKeyRing> keys;
  private final Clock clock;
  private final Duration skew;
  private final Duration maxLifetime;
  private final Supplier<Set<WorkspaceName>> ownWorkspaces;
  private final RevocationCheck revocation;
  private final Set<SigningAlgorithm> algorithms;

  private PeerIdentityVerifier(Builder b) {
    this.mothershipId = b.mothershipId;
    this.keys = b.keys;
    this.clock = b.clock;
    this.skew = b.skew == null ? JoinTokenValidator.DEFAULT_SKEW : b.skew;
    this.maxLifetime = b.maxLifetime == null ? MAX_LIFETIME : b.maxLifetime;
    this.ownWorkspaces = b.ownWorkspaces;
    this.revocation = b.revocation;
    this.algorithms = Set.copyOf(b.algorithms);
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies an identity shown on a connection, as described in the class documentation.
   *
   * @param identity the compact JWS the other peer sent; never echoed in a message
   * @param connectionKey the fingerprint of the certificate the other side presented in this TLS handshake
   * @return the verified identity; from now on the connection is authenticated as that peer
   * @throws TokenRejectedException with the first failed check's reason
   */
  public VerifiedPeerIdentity verify(String identity, Fingerprint connectionKey) throws TokenRejectedException {
    Objects.requireNonNull(connectionKey, "connectionKey");
    try {
      return check(identity, connectionKey);
    } catch (TokenRejectedException e) {
      LOG.warn("peer identity refused ({}) on a connection with key {}: {}", e.reason().code(),
          connectionKey.abbreviated(4), e.getMessage());
      throw e;
    }
  }

  /** Like {@link #verify} but returns the outcome as a value: the identity, or the rejection. */
  public Result tryVerify(String identity, Fingerprint connectionKey) {
    try {
      return new Result(verify(identity, connectionKey), null);
    } catch (TokenRejectedException e) {
      return new Result(null, e);
    }
  }

  /**
   * The outcome of {@link #tryVerify}: exactly one of the two is present.
   *
   * @param identity the verified identity, or null
   * @param rejection why it was refused, or null
   */
  public record Result(VerifiedPeerIdentity identity, TokenRejectedException rejection) {
    /** @return whether the identity was accepted */
    public boolean accepted() {
      return identity != null;
    }
  }

  private VerifiedPeerIdentity check(String compact, Fingerprint connectionKey) throws TokenRejectedException {
    Instant now = clock.instant();
    VerifiedJws jws = TypedJws.verify(compact, TokenType.PEER_IDENTITY, keys.get(), algorithms, now);
    Claims c = jws.claims();
    String iss = c.string("iss");
    PeerId peer = JoinTokenValidator.parse("sub", () -> PeerId.parse(c.string("sub")));
    String subject = c.subject("subject");
    Role role = JoinTokenValidator.parse("role", () -> Role.parse(c.string("role")));
    Instant joinedAt = c.numericDate("joined_at");
    Instant iat = c.numericDate("iat");
    Instant exp = c.numericDate("exp");
    Jti jti = JoinTokenValidator.parse("jti", () -> Jti.parse(c.string("jti")));
    Fingerprint bound = confirmation(c);
    Set<WorkspaceName> workspaces = JoinTokenValidator.workspaces(c);
    if (!exp.isAfter(iat)) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "exp " + exp + " is not after iat " + iat);
    }
    if (!mothershipId.value().equals(iss)) {
      throw new TokenRejectedException(RejectionReason.WRONG_ISSUER, "peer identity of " + peer
          + " was signed by '" + StrictJson.printable(iss) + "', this peer belongs to " + mothershipId);
    }
    JoinTokenValidator.checkTimes(iat, exp, Optional.empty(), now, skew, "this peer's clock");
    Duration lifetime = Duration.between(iat, exp);
    if (lifetime.compareTo(maxLifetime) > 0) {
      throw new TokenRejectedException(RejectionReason.LIFETIME_TOO_LONG, "peer identity of " + peer
          + " lives " + TokenDuration.of(lifetime) + ", longer than the " + TokenDuration.of(maxLifetime)
          + " refresh period");
    }
    if (!bound.equals(connectionKey)) {
      throw new TokenRejectedException(RejectionReason.KEY_MISMATCH, "the identity of " + peer + " ("
          + subject + ") is bound to certificate " + bound + ", the connection was made with " + connectionKey
          + " (an identity replayed from another peer, or a key changed since the Mothership signed it)");
    }
    Set<WorkspaceName> own = Objects.requireNonNull(ownWorkspaces.get(), "ownWorkspaces returned null");
    if (!own.isEmpty() && !workspaces.isEmpty() && workspaces.stream().noneMatch(own::contains)) {
      throw new TokenRejectedException(RejectionReason.NO_SHARED_WORKSPACE, peer + " (" + subject
          + ") may use " + names(workspaces) + ", this peer may use " + names(own));
    }
    VerifiedPeerIdentity verified = new VerifiedPeerIdentity(peer, subject, role, workspaces, mothershipId,
        joinedAt, iat, exp, jti, bound, jws.kid());
    Optional<String> revoked = revocation.revocationOfIdentity(verified);
    if (revoked.isPresent()) {
      throw new TokenRejectedException(RejectionReason.REVOKED, revoked.get());
    }
    return verified;
  }

  /** The RFC 7800 {@code cnf} claim: exactly {@code {"x5t#S256": base64url(SHA-256 of the DER certificate)}}. */
  private static Fingerprint confirmation(Claims c) throws TokenRejectedException {
    if (!c.has("cnf") || !(c.asMap().get("cnf") instanceof Map<?, ?> cnf)) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, c.has("cnf")
          ? "claim 'cnf' must be an object, found " + Claims.kindOf(c.asMap().get("cnf"))
          : "claim 'cnf' is missing");
    }
    if (cnf.size() != 1 || !(cnf.get(PeerIdentityIssuer.CNF_MEMBER) instanceof String thumbprint)) {
      throw new TokenRejectedException(RejectionReason.MALFORMED,
          "claim 'cnf' must hold exactly one member, '" + PeerIdentityIssuer.CNF_MEMBER + "', a string");
    }
    byte[] digest = Base64Url.decodeStrict(thumbprint, 0, thumbprint.length());
    if (digest == null || digest.length != Fingerprint.LENGTH) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "claim 'cnf' member '"
          + PeerIdentityIssuer.CNF_MEMBER + "' must be the canonical base64url of a 32-byte SHA-256");
    }
    return Fingerprint.ofDigest(digest);
  }

  /** @return {@code value} if it is an identity lifetime one may configure: whole seconds, 1s to {@link #MAX_LIFETIME} */
  static Duration checkLifetime(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.getSeconds() < 1 || value.getNano() != 0 || value.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException(name + " must be whole seconds between 1s and "
          + TokenDuration.of(MAX_LIFETIME) + ", got " + value);
    }
    return value;
  }

  private static String names(Set<WorkspaceName> workspaces) {
    return workspaces.stream().map(WorkspaceName::value).sorted().collect(Collectors.joining(", "));
  }

  /** Configures a {@link PeerIdentityVerifier}. Each setting may be given once. */
  public static final class Builder {
    private MothershipId mothershipId;
    private Supplier<PublicKeyRing> keys;
    private Clock clock;
    private Duration skew;
    private Duration maxLifetime;
    private Supplier<Set<WorkspaceName>> ownWorkspaces;
    private RevocationCheck revocation;
    private final Set<SigningAlgorithm> algorithms = EnumSet.copyOf(TypedJws.DEFAULT_ALGORITHMS);

    private Builder() {}

    /** The Mothership this peer belongs to: the expected {@code iss}. Required. */
    public Builder mothershipId(MothershipId value) {
      mothershipId = Settings.setOnce(mothershipId, value, "mothershipId");
      return this;
    }

    /** The Mothership's public keys, read on every verification (so rotations apply). Required. */
    public Builder keys(Supplier<PublicKeyRing> value) {
      keys = Settings.setOnce(keys, value, "keys");
      return this;
    }

    /** Judges exp, iat and key retirement. Required. */
    public Builder clock(Clock value) {
      clock = Settings.setOnce(clock, value, "clock");
      return this;
    }

    /** Allowed clock skew; default 60s, at most 5 minutes, as for join tokens. */
    public Builder clockSkew(Duration value) {
      skew = Settings.setOnce(skew, JoinTokenValidator.checkSkew(value), "clockSkew");
      return this;
    }

    /** The longest identity lifetime accepted: the Mothership's refresh period; default and at most 7d. */
    public Builder maxLifetime(Duration value) {
      maxLifetime = Settings.setOnce(maxLifetime, checkLifetime(value, "maxLifetime"), "maxLifetime");
      return this;
    }

    /**
     * The workspaces this peer's own identity grants (empty: every workspace), read on every verification:
     * another peer must share one. Required.
     */
    public Builder ownWorkspaces(Supplier<Set<WorkspaceName>> value) {
      ownWorkspaces = Settings.setOnce(ownWorkspaces, value, "ownWorkspaces");
      return this;
    }

    /** This peer's copy of the revocation list. This or {@link #withoutRevocationCheck()} is required. */
    public Builder revocation(RevocationCheck value) {
      revocation = Settings.setOnce(revocation, value, "revocation");
      return this;
    }

    /** The explicit decision to verify identities without any revocation list. */
    public Builder withoutRevocationCheck() {
      revocation = Settings.setOnce(revocation, RevocationCheck.none(), "revocation");
      return this;
    }

    /** Accepts identities signed RS256 too, for a Mothership whose ring uses the legacy algorithm. */
    public Builder acceptRs256Legacy() {
      algorithms.add(SigningAlgorithm.RS256);
      return this;
    }

    /** @throws IllegalStateException naming the first missing setting */
    public PeerIdentityVerifier build() {
      Settings.requirePresent(mothershipId, "mothershipId");
      Settings.requirePresent(keys, "keys");
      Settings.requirePresent(clock, "clock");
      Settings.requirePresent(ownWorkspaces, "ownWorkspaces");
      Settings.requireRevocationDecision(revocation);
      return new PeerIdentityVerifier(this);
    }
  }
}
