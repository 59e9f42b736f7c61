package dev.aura.app.oidc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.protocol.Wire;
import dev.aura.app.server.ApiException;
import dev.aura.oidc.AssertionRejectedException;
import dev.aura.oidc.AssertionRejection;
import dev.aura.oidc.HumanDuration;
import dev.aura.oidc.IdTokenVerifier;
import dev.aura.oidc.IdentityProvider;
import dev.aura.oidc.IdpException;
import dev.aura.oidc.IdpFetcher;
import dev.aura.oidc.VerifiedAssertion;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.AuditLog;
import dev.aura.spi.AuditQuery;
import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import dev.aura.spi.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Mothership's {@code [oidc]} policy: which joins need a fresh ID token from the identity provider, its
 * validation ({@link IdTokenVerifier}), and {@code reassert_every}. Without {@code [oidc]} it requires nothing.
 *
 * <p>When each peer last asserted is read from the audit log (a join's {@code token_used ... by oidc:<issuer>}
 * and {@code idp_reasserted} lines): durable, shared by every Mothership on one database, and hash-chained.
 * It is cached in memory; a miss or a stale entry reads the log's last {@code reassert_every} again.
 *
 * <p>ID tokens are never stored or logged here. Thread-safe.
 */
public final class OidcGate {
  /** The audit actor prefix that marks an assertion: {@code by oidc:https://idp.acme.internal/realms/acme}. */
  public static final String ACTOR_PREFIX = "oidc:";

  private final MothershipConfig.Oidc config;
  private final IdTokenVerifier verifier;
  private final Clock clock;
  private final Map<PeerId, Instant> lastAsserted = new ConcurrentHashMap<>();

  private OidcGate(MothershipConfig.Oidc config, IdTokenVerifier verifier, Clock clock) {
    this.config = config;
    this.verifier = verifier;
    this.clock = clock;
  }

  /** @return a gate that requires no assertion (no {@code [oidc]} section) */
  public static OidcGate none(Clock clock) {
    return new OidcGate(null, null, clock);
  }

  /**
   * Discovers the configured IdP. Never a silent downgrade to tokens only: an unreachable or invalid discovery
   * document is an error.
   *
   * @throws AuraException {@code identity provider unreachable} naming the URL and the cause
   */
  public static OidcGate open(MothershipConfig config, Clock clock) throws AuraException {
    Optional<MothershipConfig.Oidc> oidc = config.oidcIfAny();
    if (oidc.isEmpty()) {
      return none(clock);
    }
    IdpHttps https = IdpHttps.create(oidc.get().caFile(), Duration.ofSeconds(10));
    return open(oidc.get(), https, clock, config.jwt().clockSkew());
  }

  /** As {@link #open(MothershipConfig, Clock)} with the fetcher given. */
  public static OidcGate open(MothershipConfig.Oidc oidc, IdpFetcher fetcher, Clock clock, Duration skew)
      throws AuraException {
    IdentityProvider idp = discover(oidc, fetcher);
    IdTokenVerifier verifier = IdTokenVerifier.builder().provider(idp).fetcher(fetcher).clientId(oidc.clientId())
        .subjectClaim(oidc.subjectClaim()).maxAge(oidc.maxAge()).clockSkew(skew).clock(clock).build();
    return new OidcGate(oidc, verifier, clock);
  }

  /**
   * Fetches and checks the discovery document ({@code doctor} too).
   *
   * @throws AuraException {@code identity provider unreachable}
   */
  public static IdentityProvider discover(MothershipConfig.Oidc oidc, IdpFetcher fetcher) throws AuraException {
    try {
      return IdentityProvider.discover(oidc.issuer(), fetcher);
    } catch (IdpException e) {
      throw new AuraException("identity provider unreachable", e.getMessage()
          + " (oidc.issuer; joins that need an assertion cannot be checked without it)");
    }
  }

  /**
   * The peer's discovery of the issuer a Mothership named (the device flow's endpoints).
   *
   * @throws AuraException {@code identity provider unreachable}
   */
  public static IdentityProvider discoverForPeer(java.net.URI issuer, IdpFetcher fetcher) throws AuraException {
    try {
      return IdentityProvider.discover(issuer, fetcher);
    } catch (IdpException | IllegalArgumentException e) {
      throw new AuraException("identity provider unreachable", e.getMessage());
    }
  }

  /** @return whether {@code [oidc]} is configured */
  public boolean enabled() {
    return config != null;
  }

  /** @return whether peers must reassert ({@code reassert_every} set) */
  public boolean reassertsPeers() {
    return config != null && config.reassertEveryIfAny().isPresent();
  }

  /** @return whether a join or refresh with this role needs an assertion */
  public boolean requiredFor(Role role) {
    return config != null && config.requiredFor(role);
  }

  /**
   * Checks the assertion a join carries, when its role needs one. Call after the token verified and before its
   * use is consumed, so that a refused assertion consumes nothing.
   *
   * @param subject the verified join token's {@code sub}
   * @param role its role
   * @param idToken the ID token sent with the join, or null
   * @return the verified assertion, or empty when the role needs none
   * @throws AssertionRejectedException {@link AssertionRejection#REQUIRED} without one, or why it was refused
   * @throws IdpException when the IdP's keys cannot be fetched
   */
  public Optional<VerifiedAssertion> check(String subject, Role role, String idToken)
      throws AssertionRejectedException, IdpException {
    if (!requiredFor(role)) {
      return Optional.empty();
    }
    if (idToken == null || idToken.isEmpty()) {
      throw new AssertionRejectedException(AssertionRejection.REQUIRED, role.wireName() + " joins here need a"
          + " fresh sign-in at " + config.issuer() + " (the CLI runs the device flow; scripts pass"
          + " --id-token-file)");
    }
    return Optional.of(verifier.verify(idToken, subject));
  }

  /**
   * Refuses a peer whose last assertion is older than {@code reassert_every}.
   *
   * @throws AssertionRejectedException {@link AssertionRejection#REASSERTION_REQUIRED}
   */
  public void requireReasserted(PeerId peer, Role role, AuditLog audit) throws AssertionRejectedException,
      StoreException {
    if (!requiredFor(role) || config.reassertEveryIfAny().isEmpty()) {
      return;
    }
    Duration every = config.reassertEvery();
    Instant now = clock.instant();
    Instant last = lastAsserted.get(peer);
    if (last == null || !now.isBefore(last.plus(every))) {
      last = lastAssertionInLog(peer, now.minus(every), now.plusSeconds(1), audit).orElse(last);
      if (last != null) {
        lastAsserted.merge(peer, last, (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    if (last == null || !now.isBefore(last.plus(every))) {
      throw new AssertionRejectedException(AssertionRejection.REASSERTION_REQUIRED, (last == null
          ? peer + " has not presented an assertion within " + HumanDuration.format(every)
          : "the last assertion of " + peer + " is " + HumanDuration.format(Duration.between(last, now))
              + " old") + ", oidc.reassert_every is " + HumanDuration.format(every)
          + ": run 'aura mothership reassert' on that peer to sign in at " + config.issuer() + " again");
    }
  }

  /** @return whether a connected peer's reassertion is due (for closing its control connection) */
  public boolean reassertionDue(PeerId peer, Role role, AuditLog audit) {
    try {
      requireReasserted(peer, role, audit);
      return false;
    } catch (AssertionRejectedException e) {
      return true;
    } catch (StoreException e) {
      return false; // the next authentication decides
    }
  }

  /**
   * Records a join's or a reassertion's verified assertion for {@code reassert_every}.
   *
   * @return the audit event's actor field: {@code oidc:<issuer>}
   */
  public String asserted(PeerId peer, VerifiedAssertion assertion) {
    lastAsserted.merge(peer, clock.instant(), (a, b) -> a.isAfter(b) ? a : b);
    return ACTOR_PREFIX + assertion.issuer();
  }

  private static Optional<Instant> lastAssertionInLog(PeerId peer, Instant since, Instant until, AuditLog audit)
      throws StoreException {
    Instant latest = null;
    AuditQuery recent = new AuditQuery(since, until, EnumSet.of(AuditEventType.TOKEN_USED,
        AuditEventType.IDP_REASSERTED), 1_000_000);
    for (AuditEntry entry : audit.query(recent)) {
      AuditEvent e = entry.event();
      // token_used <jti> <peer> by oidc:...; idp_reasserted <peer> by oidc:...
      String who = e.type() == AuditEventType.IDP_REASSERTED ? e.reference() : e.peer();
      if (peer.value().equals(who) && e.actor() != null && e.actor().startsWith(ACTOR_PREFIX)) {
        latest = latest == null || e.at().isAfter(latest) ? e.at() : latest;
      }
    }
    return Optional.ofNullable(latest);
  }

  /**
   * The API refusal for a rejected assertion: 401 with the {@link #hint()} as {@code "oidc"} when one is
   * required or due (the CLI then signs in), 403 otherwise; the subject mismatch in the product's words.
   */
  public ApiException refusal(AssertionRejectedException e) {
    AssertionRejection r = e.reason();
    boolean signIn = r == AssertionRejection.REQUIRED || r == AssertionRejection.REASSERTION_REQUIRED;
    ObjectNode extra = Wire.object();
    extra.set("oidc", hint());
    return r == AssertionRejection.SUBJECT_MISMATCH
        ? new ApiException(403, r.code(), e.getMessage(), null, extra)
        : new ApiException(signIn ? 401 : 403, r.code(), r.text(), e.detail(), extra);
  }

  /** The API refusal when the IdP's keys cannot be fetched: 503, nothing consumed. */
  public static ApiException unavailable(IdpException e) {
    return new ApiException(503, "idp_unreachable", "identity provider unreachable", e.getMessage());
  }

  /** @return what a peer needs to get an assertion: issuer, client id, scope and the device endpoint */
  public ObjectNode hint() {
    ObjectNode o = Wire.object();
    if (verifier == null) {
      return o;
    }
    o.put("issuer", config.issuer().toString());
    o.put("client_id", config.clientId());
    o.put("scope", "sub".equals(config.subjectClaim()) ? "openid" : "openid " + scopeFor(config.subjectClaim()));
    verifier.provider().deviceAuthorizationEndpoint().ifPresent(u -> o.put("device_authorization_endpoint",
        u.toString()));
    return o;
  }

  private static String scopeFor(String claim) {
    return switch (claim) {
      case "email", "email_verified" -> "email";
      case "preferred_username", "name", "upn" -> "profile";
      default -> "profile email";
    };
  }
}
