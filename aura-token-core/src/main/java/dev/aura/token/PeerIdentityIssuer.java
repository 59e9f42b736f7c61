package dev.aura.token;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.Jti;
import dev.aura.spi.MothershipId;
import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import dev.aura.token.internal.Base64Url;
import dev.aura.token.internal.Settings;
import dev.aura.token.internal.Ulid;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Signs short-lived peer identities, on the Mothership, at join and at every refresh. A peer shows its
 * identity to other peers on direct connections, where {@link PeerIdentityVerifier} checks it.
 *
 * <pre>{@code
 * PeerIdentityIssuer identities = PeerIdentityIssuer.builder()
 *     .mothershipId(id).keyRing(ring).clock(clock)
 *     .refreshPeriod(Duration.ofHours(1))          // the identity never outlives the peer's next refresh
 *     .build();
 * IssuedPeerIdentity identity = identities.issue(peerId, "alice@acme.com", Role.MEMBER, joinedAt,
 *     Set.of(WorkspaceName.parse("widget")), peerCertificateFingerprint);   // the fingerprint the peer reported
 * }</pre>
 *
 * <p>A compact JWS of type {@code aura-peer-identity+jwt} (header {@code alg, typ, kid}) with claims
 * {@code iss} (the Mothership id), {@code sub} (the peer id), {@code subject}, {@code role},
 * {@code joined_at}, {@code iat}, {@code exp}, {@code jti}, {@code cnf} and, for a peer limited to some
 * workspaces, {@code workspaces} (sorted; absent means every workspace, as in a join token).
 *
 * <p><b>Key binding.</b> {@code cnf} is the RFC 7800 confirmation claim with the single member
 * {@code x5t#S256}: the base64url SHA-256 of the DER certificate of the peer's key pair, as RFC 8705 section
 * 3.1 binds a token to a mutual-TLS client certificate. That is the value a TLS stack hands over
 * ({@code SSLSession.getPeerCertificates()}) and the same SHA-256-over-DER as Aura's {@link Fingerprint}
 * (what {@code openssl x509 -fingerprint -sha256} shows), so checking it needs no key parsing at all. A JWK
 * thumbprint ({@code jkt}, RFC 7638) would survive re-issuing the certificate on the same key, but needs a
 * canonical JWK per key type on the verifying side and buys nothing here: the peer's certificate is
 * self-signed, generated with its key and kept with it, and a new identity is signed at every refresh anyway.
 *
 * <p>Thread-safe.
 */
public final class PeerIdentityIssuer {
  /** The {@code cnf} member that carries the certificate's SHA-256 (RFC 8705 section 3.1). */
  static final String CNF_MEMBER = "x5t#S256";

  private final MothershipId mothershipId;
  private final KeyRing keyRing;
  private final Clock clock;
  private final Duration lifetime;
  private final SecureRandom random = new SecureRandom();

  private PeerIdentityIssuer(Builder b) {
    this.mothershipId = b.mothershipId;
    this.keyRing = b.keyRing;
    this.clock = b.clock;
    this.lifetime = b.lifetime == null ? b.refreshPeriod : b.lifetime;
  }

  /** @return a builder; {@code mothershipId}, {@code keyRing}, {@code clock} and {@code refreshPeriod} are required */
  public static Builder builder() {
    return new Builder();
  }

  /** @return how long each identity lives: at most the refresh period */
  public Duration lifetime() {
    return lifetime;
  }

  /**
   * Signs an identity for a peer the Mothership has just admitted or authenticated.
   *
   * @param peer the peer
   * @param subject the subject it joined as
   * @param role its role
   * @param joinedAt when it joined
   * @param workspaces the workspaces it may use (empty: every workspace); at most
   *     {@value JoinTokenRequest#MAX_WORKSPACES}
   * @param keyFingerprint the fingerprint of the peer's own certificate, as the peer reported it
   * @return the identity, to hand to the peer
   * @throws IllegalArgumentException for a blank subject or too many workspaces
   */
  public IssuedPeerIdentity issue(PeerId peer, String subject, Role role, Instant joinedAt,
      Set<WorkspaceName> workspaces, Fingerprint keyFingerprint) {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(joinedAt, "joinedAt");
    Objects.requireNonNull(keyFingerprint, "keyFingerprint");
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("subject is blank");
    }
    if (workspaces.size() > JoinTokenRequest.MAX_WORKSPACES) {
      throw new IllegalArgumentException("a peer identity names at most " + JoinTokenRequest.MAX_WORKSPACES
          + " workspaces, got " + workspaces.size());
    }
    Instant now = clock.instant();
    Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
    Instant exp = iat.plus(lifetime);
    Jti jti = new Jti(Jti.PREFIX + Ulid.next(now, random));
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", mothershipId.value());
    claims.put("sub", peer.value());
    claims.put("subject", subject);
    claims.put("role", role.wireName());
    claims.put("joined_at", joinedAt.getEpochSecond());
    claims.put("iat", iat.getEpochSecond());
    claims.put("exp", exp.getEpochSecond());
    claims.put("jti", jti.value());
    claims.put("cnf", Map.of(CNF_MEMBER, Base64Url.encode(keyFingerprint.toByteArray())));
    if (!workspaces.isEmpty()) {
      List<String> names = new ArrayList<>();
      JoinTokenRequest.sortedWorkspaces(workspaces).forEach(w -> names.add(w.value()));
      claims.put("workspaces", names);
    }
    String compact = TypedJws.sign(keyRing, TokenType.PEER_IDENTITY, claims);
    return new IssuedPeerIdentity(compact, jti, peer, keyFingerprint, iat, exp);
  }

  /** Configures a {@link PeerIdentityIssuer}. Each setting may be given once. */
  public static final class Builder {
    private MothershipId mothershipId;
    private KeyRing keyRing;
    private Clock clock;
    private Duration refreshPeriod;
    private Duration lifetime;

    private Builder() {}

    /** The {@code iss} of every identity. Required. */
    public Builder mothershipId(MothershipId value) {
      mothershipId = Settings.setOnce(mothershipId, value, "mothershipId");
      return this;
    }

    /** Signs the identities. Required. */
    public Builder keyRing(KeyRing value) {
      keyRing = Settings.setOnce(keyRing, value, "keyRing");
      return this;
    }

    /** Gives {@code iat}. Required. */
    public Builder clock(Clock value) {
      clock = Settings.setOnce(clock, value, "clock");
      return this;
    }

    /**
     * How often peers refresh (and so fetch a new identity); positive, at most
     * {@link PeerIdentityVerifier#MAX_LIFETIME}. Required: an identity never lives longer, so a peer
     * whose refreshes are refused (revoked, role changed) loses its identity within one period.
     */
    public Builder refreshPeriod(Duration value) {
      refreshPeriod = Settings.setOnce(refreshPeriod, PeerIdentityVerifier.checkLifetime(value, "refreshPeriod"), "refreshPeriod");
      return this;
    }

    /** How long each identity lives, if shorter than the refresh period; default the refresh period. */
    public Builder lifetime(Duration value) {
      lifetime = Settings.setOnce(lifetime, PeerIdentityVerifier.checkLifetime(value, "lifetime"), "lifetime");
      return this;
    }

    /** @throws IllegalStateException naming the first missing setting, or a lifetime beyond the refresh period */
    public PeerIdentityIssuer build() {
      Settings.requirePresent(mothershipId, "mothershipId");
      Settings.requirePresent(keyRing, "keyRing");
      Settings.requirePresent(clock, "clock");
      Settings.requirePresent(refreshPeriod, "refreshPeriod");
      if (lifetime != null && lifetime.compareTo(refreshPeriod) > 0) {
        throw new IllegalStateException("lifetime " + lifetime + " is longer than the refresh period "
            + refreshPeriod + ": a peer identity may not outlive the peer's next refresh");
      }
      return new PeerIdentityIssuer(this);
    }
  }
}
