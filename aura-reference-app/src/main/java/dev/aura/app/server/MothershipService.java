package dev.aura.app.server;

import dev.aura.access.AccessPolicy;
import dev.aura.access.PeerGrant;
import dev.aura.app.AuraException;
import dev.aura.app.config.AdminCredential;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import dev.aura.revocation.Revocation;
import dev.aura.revocation.RevocationList;
import dev.aura.revocation.RevocationListener;
import dev.aura.revocation.RevocationPublisher;
import dev.aura.spi.AuditChain;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.AuditQuery;
import dev.aura.spi.AuditVerification;
import dev.aura.spi.Jti;
import dev.aura.spi.LedgerEntry;
import dev.aura.spi.MothershipId;
import dev.aura.spi.PeerId;
import dev.aura.spi.PeerRecord;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.Role;
import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChangeFeed;
import dev.aura.spi.StoreException;
import dev.aura.spi.WorkspaceName;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.sync.EventLog;
import dev.aura.sync.EventLogException;
import dev.aura.sync.EventLogOptions;
import dev.aura.sync.EventLogStats;
import dev.aura.store.jdbc.JdbcStoreOptions;
import dev.aura.store.jdbc.JdbcStores;
import dev.aura.token.AuthenticatedPeer;
import dev.aura.token.BulkIssuance;
import dev.aura.token.IssuedJoinToken;
import dev.aura.token.IssuedRefreshCredential;
import dev.aura.token.JoinTokenIssuer;
import dev.aura.token.JoinTokenRequest;
import dev.aura.token.JoinTokenValidator;
import dev.aura.token.KeyRing;
import dev.aura.token.RefreshCredentials;
import dev.aura.token.RejectionReason;
import dev.aura.token.TokenDuration;
import dev.aura.token.TokenIssuanceException;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.VerifiedJoinToken;
import dev.aura.tls.CertificateRotation;
import dev.aura.tls.ExpiryMonitor;
import dev.aura.tls.ExpiryStatus;
import java.io.IOException;
import java.io.StringReader;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mothership without its HTTP layer: the stores, the signing key ring, the TLS certificates, the
 * revocation list, and every operation the API offers (join, refresh, issue, revoke, audit, rotate). The
 * HTTP layer ({@link ApiHandler}) only translates JSON.
 *
 * <pre>{@code
 * try (MothershipService mothership = MothershipService.open(dataDir, config, Clock.systemUTC())) {
 *   IssuedJoinToken token = mothership.issue(JoinTokenRequest.forSubject("carol@contractor.com").build(),
 *       Principal.localAdmin());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class MothershipService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MothershipService.class);
  private static final int MAX_ADDRESSES = 16;

  private final DataDir dir;
  private final MothershipConfig config;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final MothershipId id;
  private final AdminCredential admin;
  private final JdbcStores stores;
  private final KeyRing keys;
  private final TlsCertificates certificates;
  private final RevocationList revocations;
  private final RevocationPublisher publisher;
  private final JoinTokenIssuer issuer;
  private final JoinTokenValidator validator;
  private final RefreshCredentials credentials;
  private final HandshakeLimiter limiter;
  private final EventLog eventLog;
  private final AccessPolicy access;
  private final AuditReplication auditReplication;
  private final Metrics metrics;
  private final ExecutorService follower;
  private final List<StoreChangeFeed.Subscription> subscriptions = new ArrayList<>();
  private final List<Consumer<CertificateRotation>> rotationListeners = new CopyOnWriteArrayList<>();

  private MothershipService(DataDir dir, MothershipConfig config, Clock clock, MothershipId id,
      AdminCredential admin, JdbcStores stores, KeyRing keys, TlsCertificates certificates,
      RevocationList revocations, EventLog eventLog) {
    this.dir = dir;
    this.config = config;
    this.clock = clock;
    this.id = id;
    this.admin = admin;
    this.stores = stores;
    this.keys = keys;
    this.certificates = certificates;
    this.revocations = revocations;
    this.eventLog = eventLog;
    this.access = AccessPolicy.of(revocations, clock);
    this.auditReplication = new AuditReplication(this);
    this.publisher = RevocationPublisher.of(revocations, keys, clock);
    this.issuer = JoinTokenIssuer.builder().mothershipId(id).keyRing(keys).ledger(stores.tokenLedger())
        .clock(clock).fingerprint(() -> certificates.current().fingerprint())
        .maxExpiry(config.jwt().maxExpiry()).build();
    JoinTokenValidator.Builder validation = JoinTokenValidator.builder().mothershipId(id).keys(keys::publicKeys)
        .clock(clock).clockSkew(config.jwt().clockSkew()).maxExpiry(config.jwt().maxExpiry())
        .acceptedFingerprints(() -> certificates.ring().acceptableFingerprints(clock.instant()))
        .permitRoles(config.peers().permittedRoles().toArray(new Role[0]))
        .revocation(revocations).ledger(stores.tokenLedger());
    if (config.jwt().allowRs256Legacy()) {
      validation.acceptRs256Legacy();
    }
    this.validator = validation.build();
    this.credentials = RefreshCredentials.builder().mothershipId(id).keyRing(keys)
        .store(stores.refreshCredentialStore()).clock(clock).rotationPeriod(config.peers().refreshRotation())
        .revocation(revocations).build();
    this.limiter = new HandshakeLimiter(config.limits().failedHandshakesPerMinute(), clock);
    this.follower = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "aura-store-follower");
      t.setDaemon(true);
      return t;
    });
    subscriptions.add(revocations.follow(stores.changeFeed(), follower));
    subscriptions.add(stores.changeFeed().subscribe(change -> {
      if (change.topic() == StoreChange.Topic.SIGNING_KEYS) {
        follower.execute(this::reloadKeys);
      }
    }));
    this.metrics = new Metrics(this);
  }

  /**
   * Opens the Mothership's state in a data directory, creating what is missing: the directory (0700), the
   * id, the admin credential, the store, the first signing key and a self-signed certificate.
   *
   * @throws AuraException when the store cannot be opened or a file cannot be read or written
   */
  public static MothershipService open(DataDir dir, MothershipConfig config, Clock clock) throws AuraException {
    SecureRandom random = new SecureRandom();
    MothershipId id;
    AdminCredential admin;
    try {
      dir.create();
      id = dir.loadOrCreateId(random);
      admin = dir.loadOrCreateAdminCredential(random);
    } catch (IOException | IllegalArgumentException e) {
      throw new AuraException("cannot prepare the data directory " + dir.root(), e.getMessage());
    }
    String url = config.store().urlIfAny().orElse(dir.defaultStoreUrl());
    JdbcStores stores = openStores(url, config);
    try {
      KeyRing.Builder ring = KeyRing.builder().store(stores.signingKeyStore()).clock(clock)
          .algorithm(config.jwt().algorithm()).rotationGrace(config.jwt().keyRotationGrace());
      if (config.jwt().allowRs256Legacy()) {
        ring.allowRs256Legacy();
      }
      KeyRing keys = ring.open();
      TlsCertificates certificates = TlsCertificates.loadOrGenerate(dir, config.tls(), clock);
      RevocationList revocations = RevocationList.open(stores.revocationStore(), stores.auditLog(), clock);
      EventLog events = openEventLog(dir, url, config, clock);
      return new MothershipService(dir, config, clock, id, admin, stores, keys, certificates, revocations, events);
    } catch (StoreException e) {
      stores.close();
      throw new AuraException("cannot read the store " + stores.location(), e.getMessage());
    } catch (AuraException | RuntimeException e) {
      stores.close();
      throw e;
    }
  }

  /**
   * Opens the sync event log: its own SQLite file beside the store's ({@code events.db}) for the default
   * store, the same PostgreSQL database for a shared one.
   */
  public static EventLog openEventLog(DataDir dir, String storeUrl, MothershipConfig config, Clock clock)
      throws AuraException {
    String url = storeUrl.startsWith("sqlite:") ? "sqlite:" + dir.eventDatabase() : storeUrl;
    try {
      return EventLog.open(url, new EventLogOptions(config.sync().workers(), 1000, config.sync().maxFileSize(),
          clock));
    } catch (EventLogException e) {
      throw new AuraException("cannot open the sync event log", e.getMessage());
    }
  }

  /** Opens the configured store, for the server and for {@code doctor}. */
  public static JdbcStores openStores(String url, MothershipConfig config) throws AuraException {
    JdbcStoreOptions.Builder options = JdbcStoreOptions.builder().connectTimeout(Duration.ofSeconds(10));
    if (config.store().keyFile() != null) {
      options.keyFile(config.store().keyFile());
    }
    try {
      return JdbcStores.open(url, options.build());
    } catch (JdbcStoreException e) {
      throw new AuraException("store unreachable", e.getMessage());
    }
  }

  private void reloadKeys() {
    try {
      keys.reload();
    } catch (StoreException | RuntimeException e) {
      LOG.warn("could not reload the signing keys announced by the change feed: {}", e.getMessage());
    }
  }

  // ---------------------------------------------------------------- peers: join, refresh, authenticate

  /**
   * A peer that joined.
   *
   * @param peer its registration
   * @param credential its first refresh credential, handed out once
   */
  public record Joined(PeerRecord peer, IssuedRefreshCredential credential) {}

  /**
   * Admits a join token: validates it (consuming one use), registers the peer as {@code peer_} + 8 hex and
   * issues its refresh credential. Audited as {@code token_used} or {@code handshake_fail} with the source.
   *
   * @throws TokenRejectedException when the token is refused (with the product's wording)
   * @throws ApiException 429 when the source failed too many handshakes, 400 for bad addresses
   * @throws StoreException when a store failed
   */
  public Joined join(String token, List<String> addresses, String source)
      throws TokenRejectedException, ApiException, StoreException {
    long started = System.nanoTime();
    String outcome = Metrics.ERROR;
    try {
      Joined joined = admitJoin(token, addresses, source);
      outcome = Metrics.OK;
      return joined;
    } catch (TokenRejectedException | ApiException e) {
      outcome = Metrics.REJECTED;
      throw e;
    } finally {
      metrics.joinTook(outcome, started);
    }
  }

  private Joined admitJoin(String token, List<String> addresses, String source)
      throws TokenRejectedException, ApiException, StoreException {
    checkRateLimit(source);
    List<String> announced = checkAddresses(addresses);
    VerifiedJoinToken verified;
    try {
      verified = validator.admit(token);
    } catch (TokenRejectedException e) {
      handshakeFailed("jt_" + e.reason().code(), e.reason().code(), source);
      throw e;
    }
    Instant now = clock.instant();
    PeerId peer = newPeerId();
    PeerRecord record = new PeerRecord(peer, verified.subject(), verified.role(), verified.jti(), now, now,
        announced, verified.workspaces());
    stores.peerStore().save(record);
    IssuedRefreshCredential credential = credentials.issue(peer, verified.subject(), verified.role(), now);
    stores.auditLog().append(AuditEvent.of(AuditEventType.TOKEN_USED, now, verified.jti().value())
        .withPeer(peer.value()).from(source));
    metrics.joined();
    LOG.info("{} joined as {} ({}) from {}", verified.subject(), peer, verified.role(), source);
    return new Joined(record, credential);
  }

  private PeerId newPeerId() throws StoreException {
    byte[] bytes = new byte[4];
    while (true) {
      random.nextBytes(bytes);
      PeerId candidate = PeerId.parse(PeerId.PREFIX + HexFormat.of().formatHex(bytes));
      if (stores.peerStore().find(candidate).isEmpty()) {
        return candidate;
      }
    }
  }

  private static List<String> checkAddresses(List<String> addresses) throws ApiException {
    if (addresses.size() > MAX_ADDRESSES) {
      throw ApiException.badRequest("invalid request", "at most " + MAX_ADDRESSES + " announced addresses, got "
          + addresses.size());
    }
    for (String a : addresses) {
      if (a.isEmpty() || a.length() > 100 || !a.matches("[A-Za-z0-9.:%\\[\\]\\-]+")) {
        throw ApiException.badRequest("invalid request", "announced address is not an address or host:port");
      }
    }
    return List.copyOf(addresses);
  }

  private void checkRateLimit(String source) throws ApiException {
    Optional<Duration> wait = limiter.retryAfter(source);
    if (wait.isPresent()) {
      metrics.rateLimited();
      throw new ApiException(429, "rate_limited", "too many failed handshakes",
          "from " + source + " in the last minute (at most " + config.limits().failedHandshakesPerMinute()
              + "); retry in " + Math.max(1, wait.get().toSeconds()) + "s");
    }
  }

  private void handshakeFailed(String reference, String reasonCode, String source) {
    metrics.rejected(reasonCode);
    limiter.failed(source);
    try {
      stores.auditLog().append(AuditEvent.of(AuditEventType.HANDSHAKE_FAIL, clock.instant(), reference)
          .from(source));
    } catch (StoreException | IllegalArgumentException e) {
      LOG.warn("could not audit a failed handshake from {}: {}", source, e.getMessage());
    }
  }

  /**
   * Rotates a peer's refresh credential: the presented one is replaced atomically and refused from now on.
   *
   * @throws TokenRejectedException when the presented credential is refused ({@code peer revoked} and so on)
   */
  public IssuedRefreshCredential refresh(String credential, String source)
      throws TokenRejectedException, ApiException, StoreException {
    long started = System.nanoTime();
    String outcome = Metrics.ERROR;
    try {
      IssuedRefreshCredential next = rotateCredential(credential, source);
      outcome = Metrics.OK;
      return next;
    } catch (TokenRejectedException | ApiException e) {
      outcome = Metrics.REJECTED;
      throw e;
    } finally {
      metrics.refreshTook(outcome, started);
    }
  }

  private IssuedRefreshCredential rotateCredential(String credential, String source)
      throws TokenRejectedException, ApiException, StoreException {
    checkRateLimit(source);
    IssuedRefreshCredential next;
    try {
      next = credentials.rotate(credential);
    } catch (TokenRejectedException e) {
      handshakeFailed("rc_" + e.reason().code(), e.reason().code(), source);
      throw e;
    }
    metrics.credentialRotated();
    touch(next.peer());
    stores.auditLog().append(AuditEvent.of(AuditEventType.CREDENTIAL_ROTATED, clock.instant(),
        next.credentialId()).withPeer(next.peer().value()).from(source));
    return next;
  }

  /**
   * Authenticates the bearer of an API request: the local admin credential, or a peer's refresh credential.
   *
   * @throws ApiException 401 for a missing or refused credential, 403 {@code peer revoked} for a revoked peer
   */
  public Principal authenticate(String bearer, String source) throws ApiException, StoreException {
    if (bearer == null || bearer.isEmpty()) {
      throw new ApiException(401, "unauthenticated", "authentication required",
          "send the admin credential or a peer's refresh credential as a bearer token");
    }
    if (AdminCredential.looksLike(bearer) && admin.matches(bearer)) {
      return Principal.localAdmin(); // the host's own CLI is never locked out by someone else's failures
    }
    checkRateLimit(source);
    if (AdminCredential.looksLike(bearer)) {
      handshakeFailed("admin_credential_mismatch", "admin_credential_mismatch", source);
      throw new ApiException(401, "unauthenticated", "invalid admin credential",
          "the credential does not match " + dir.adminCredential());
    }
    return authenticatePeer(bearer, source).principal();
  }

  /**
   * A peer authenticated by its refresh credential.
   *
   * @param principal who it is
   * @param peer what the credential says
   */
  public record PeerSession(Principal principal, AuthenticatedPeer peer) {}

  /** Authenticates a peer's refresh credential and records that it was seen. */
  public PeerSession authenticatePeer(String credential, String source) throws ApiException, StoreException {
    checkRateLimit(source);
    try {
      AuthenticatedPeer peer = credentials.authenticate(credential);
      touch(peer.peer());
      return new PeerSession(new Principal(peer.subject(), peer.role(), peer.peer()), peer);
    } catch (TokenRejectedException e) {
      handshakeFailed("rc_" + e.reason().code(), e.reason().code(), source);
      throw peerRejection(e);
    }
  }

  /** Maps a refused refresh credential to the API error the peer shows. */
  static ApiException peerRejection(TokenRejectedException e) {
    if (e.reason() == RejectionReason.REVOKED) {
      return new ApiException(403, "peer_revoked", "peer revoked", e.getMessage());
    }
    String detail = e.getMessage().startsWith(e.reason().text() + ": ")
        ? e.getMessage().substring(e.reason().text().length() + 2) : null;
    return new ApiException(401, e.reason().code(), e.reason().text(), detail);
  }

  /**
   * What a peer's verified credential grants: its role and subject from the credential, the workspaces it is
   * limited to from its registration.
   */
  public PeerGrant grantOf(AuthenticatedPeer peer) throws StoreException {
    Set<WorkspaceName> workspaces = stores.peerStore().find(peer.peer()).map(PeerRecord::workspaces)
        .orElse(Set.of());
    return PeerGrant.of(peer.peer(), peer.subject(), peer.role(), peer.joinedAt(), workspaces);
  }

  /**
   * Limits a registered peer to named workspaces (empty: every workspace), audited as
   * {@code peer_workspaces <peer> by <actor>}.
   *
   * @throws ApiException 404 for an unknown peer
   */
  public PeerRecord limitWorkspaces(PeerId peer, Set<WorkspaceName> workspaces, Principal by)
      throws ApiException, StoreException {
    PeerRecord record = stores.peerStore().find(peer).orElseThrow(() -> ApiException.notFound("unknown peer "
        + peer, "no peer with that id joined this Mothership (see aura mothership peers)"));
    PeerRecord updated = record.withWorkspaces(workspaces);
    stores.peerStore().save(updated);
    stores.auditLog().append(AuditEvent.of(AuditEventType.PEER_WORKSPACES, clock.instant(), peer.value())
        .by(by.actor()).forSubject(record.subject()));
    return updated;
  }

  /** Records that a peer was heard from now. */
  public void touch(PeerId peer) throws StoreException {
    Optional<PeerRecord> record = stores.peerStore().find(peer);
    if (record.isPresent()) {
      stores.peerStore().save(record.get().seenAt(clock.instant()));
    }
  }

  // ---------------------------------------------------------------- tokens

  /**
   * Issues one join token, audited as {@code token_issued <jti> by <actor> for <subject>}.
   *
   * @throws TokenIssuanceException when the expiry exceeds {@code jwt.max_expiry}
   */
  public IssuedJoinToken issue(JoinTokenRequest request, Principal by) throws TokenIssuanceException,
      StoreException {
    IssuedJoinToken token = issuer.issue(request);
    auditIssued(token, by);
    metrics.issued(1);
    return token;
  }

  /**
   * Issues a token per row of an {@code email,role} file, validating the whole file first.
   *
   * @throws TokenIssuanceException naming the line of the first problem, or for an expiry over the maximum
   */
  public List<IssuedJoinToken> issueBulk(String csv, TokenDuration expiresIn, Principal by)
      throws TokenIssuanceException, StoreException {
    List<BulkIssuance.Row> rows;
    try {
      rows = BulkIssuance.parse(new StringReader(csv));
    } catch (IOException e) {
      throw new TokenIssuanceException("cannot read the file: " + e.getMessage());
    }
    List<IssuedJoinToken> tokens = issuer.issueBulk(rows, expiresIn);
    for (IssuedJoinToken t : tokens) {
      auditIssued(t, by);
    }
    metrics.issued(tokens.size());
    return tokens;
  }

  private void auditIssued(IssuedJoinToken token, Principal by) throws StoreException {
    stores.auditLog().append(AuditEvent.of(AuditEventType.TOKEN_ISSUED, clock.instant(), token.jti().value())
        .by(by.actor()).forSubject(token.subject()));
  }

  /**
   * What {@code token decode} shows on the Mothership host.
   *
   * @param status {@code valid}, {@code expired}, {@code used}, {@code revoked} or the rejection's wording
   * @param detail why, or null
   * @param ledger what the ledger knows of the jti, if anything
   */
  public record Inspection(String status, String detail, Optional<LedgerEntry> ledger) {}

  /** Checks a token without consuming it. */
  public Inspection inspect(String token) throws StoreException {
    try {
      VerifiedJoinToken verified = validator.verify(token);
      Optional<LedgerEntry> entry = stores.tokenLedger().find(verified.jti());
      if (entry.isEmpty()) {
        return new Inspection(RejectionReason.UNKNOWN_TOKEN.text(), "this Mothership has no record of "
            + verified.jti(), entry);
      }
      if (entry.get().usesRemaining() == 0) {
        return new Inspection("used", "all " + entry.get().allowedUses() + " use(s) consumed", entry);
      }
      return new Inspection("valid", entry.get().usesRemaining() + " of " + entry.get().allowedUses()
          + " use(s) left", entry);
    } catch (TokenRejectedException e) {
      Optional<LedgerEntry> entry = Optional.empty();
      String status = switch (e.reason()) {
        case EXPIRED -> "expired";
        case REVOKED -> "revoked";
        default -> e.reason().text();
      };
      String jti = jtiOf(token);
      if (jti != null) {
        entry = stores.tokenLedger().find(Jti.parse(jti));
      }
      return new Inspection(status, e.getMessage(), entry);
    }
  }

  private static String jtiOf(String token) {
    Object jti = dev.aura.token.TokenDecoder.decode(token).claims().map(c -> c.get("jti")).orElse(null);
    return jti instanceof String s && Jti.looksLike(s) && s.length() == 29 ? validJti(s) : null;
  }

  private static String validJti(String s) {
    try {
      return Jti.parse(s).value();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- revocation

  /**
   * Revokes a token, a subject or a peer. A peer id must be registered; a jti must have been issued here.
   *
   * @throws ApiException 404 for an unknown peer or jti
   */
  public Revocation revoke(RevocationTarget target, Principal by) throws ApiException, StoreException {
    requireKnown(target);
    return revocations.revoke(target, by.actor(), null);
  }

  /** Lifts a revocation; empty when the target was not revoked. */
  public Optional<Revocation> unrevoke(RevocationTarget target, Principal by) throws ApiException,
      StoreException {
    requireKnown(target);
    return revocations.unrevoke(target, by.actor(), null);
  }

  private void requireKnown(RevocationTarget target) throws ApiException, StoreException {
    switch (target.kind()) {
      case PEER -> {
        if (stores.peerStore().find(PeerId.parse(target.value())).isEmpty()) {
          throw ApiException.notFound("unknown peer " + target.value(), "no peer with that id joined this"
              + " Mothership (see aura mothership peers)");
        }
      }
      case JTI -> {
        if (stores.tokenLedger().find(Jti.parse(target.value())).isEmpty()) {
          throw ApiException.notFound("unknown token " + target.value(), "no token with that jti was issued by"
              + " this Mothership");
        }
      }
      default -> { }
    }
  }

  /** Tells {@code listener} of every new revocation (to close connections at once). */
  public void addRevocationListener(RevocationListener listener) {
    revocations.addListener(listener);
  }

  /** @return the revocation in force against a peer, if any */
  public Optional<String> revocationOf(PeerRecord peer) {
    return revocations.revocationOfPeer(peer.id(), peer.subject(), peer.joinedAt());
  }

  // ---------------------------------------------------------------- audit and keys

  /** @return audit entries since an instant, oldest first */
  public List<AuditEntry> audit(Instant since, java.util.Set<AuditEventType> types, int limit)
      throws StoreException {
    Instant to = clock.instant().plusSeconds(1);
    Instant from = since.isAfter(to) ? to : since;
    return stores.auditLog().query(new AuditQuery(from, to, types, limit));
  }

  /** Walks the audit log's hash chain. */
  public AuditVerification verifyAudit() throws StoreException {
    return AuditChain.verify(stores.auditLog());
  }

  /**
   * The outcome of {@code rotate-key}.
   *
   * @param newKid the new primary's id
   * @param previousKid the retired key's id
   * @param previousRetiresAt when it stops verifying
   */
  public record KeyRotation(String newKid, String previousKid, Instant previousRetiresAt) {}

  /** Rotates the signing key, audited as {@code key_rotation <kid> by <actor>}. */
  public KeyRotation rotateKey(Principal by) throws StoreException {
    String previous = keys.primaryKid();
    String next = keys.rotate();
    Instant retireAt = keys.describe().stream().filter(k -> k.kid().equals(previous)).findFirst()
        .flatMap(k -> k.retireAtIfAny()).orElse(clock.instant());
    stores.auditLog().append(AuditEvent.of(AuditEventType.KEY_ROTATION, clock.instant(), next).by(by.actor()));
    return new KeyRotation(next, previous, retireAt);
  }

  /**
   * Rotates the TLS certificate, audited as {@code tls_rotation <fingerprint> by <actor>}; listeners (the
   * HTTPS connector, connected peers) are told.
   */
  public CertificateRotation rotateCertificate(Principal by) throws AuraException, StoreException {
    CertificateRotation rotation = certificates.rotate();
    stores.auditLog().append(AuditEvent.of(AuditEventType.TLS_ROTATION, clock.instant(),
        rotation.identity().fingerprint().toString()).by(by.actor()));
    for (Consumer<CertificateRotation> listener : rotationListeners) {
      try {
        listener.accept(rotation);
      } catch (RuntimeException e) {
        LOG.warn("certificate rotation listener failed: {}", e.toString());
      }
    }
    return rotation;
  }

  /** Registers a listener told of every certificate rotation. */
  public void addRotationListener(Consumer<CertificateRotation> listener) {
    rotationListeners.add(listener);
  }

  // ---------------------------------------------------------------- health

  /** @return the {@code /healthz} reasons that apply now; empty when healthy */
  public List<String> healthProblems() {
    List<String> reasons = new ArrayList<>();
    ExpiryStatus expiry = new ExpiryMonitor(clock).check(certificates.current().certificate());
    expiry.healthzReason().ifPresent(reasons::add);
    try {
      stores.revocationStore().latestVersion();
    } catch (StoreException | RuntimeException e) {
      reasons.add("store_unreachable");
    }
    if (walBehind().isPresent()) {
      reasons.add("wal_behind");
    }
    return reasons;
  }

  /**
   * @return why the durable event log is behind (more events waiting than {@code [sync] max_backlog}, or a
   *     recent commit slower than {@code [sync] max_commit_latency}), or empty when it keeps up
   */
  public Optional<String> walBehind() {
    EventLogStats s = eventLog.stats();
    MothershipConfig.Sync limits = config.sync();
    if (s.backlogEvents() > limits.maxBacklog()) {
      return Optional.of(s.backlogEvents() + " events wait to be persisted (sync.max_backlog " + limits.maxBacklog()
          + ")");
    }
    if (s.recentMaxCommitLatency().compareTo(limits.maxCommitLatency()) > 0) {
      return Optional.of("a commit took " + s.recentMaxCommitLatency().toMillis() + " ms (sync.max_commit_latency "
          + limits.maxCommitLatency().toMillis() + " ms)");
    }
    return Optional.empty();
  }

  /** @return seconds until the served certificate's notAfter */
  public long certificateSecondsLeft() {
    return new ExpiryMonitor(clock).secondsUntilNotAfter(certificates.current().certificate());
  }

  // ---------------------------------------------------------------- accessors

  /** @return this Mothership's id */
  public MothershipId id() {
    return id;
  }

  /** @return the clock */
  public Clock clock() {
    return clock;
  }

  /** @return the configuration */
  public MothershipConfig config() {
    return config;
  }

  /** @return the data directory */
  public DataDir dataDir() {
    return dir;
  }

  /** @return the stores */
  public JdbcStores stores() {
    return stores;
  }

  /** @return the signing key ring */
  public KeyRing keys() {
    return keys;
  }

  /** @return the TLS certificates */
  public TlsCertificates certificates() {
    return certificates;
  }

  /** @return the revocation list */
  public RevocationList revocations() {
    return revocations;
  }

  /** @return the signer of revocation updates for peers */
  public RevocationPublisher publisher() {
    return publisher;
  }

  /** @return the refresh credential service */
  public RefreshCredentials credentials() {
    return credentials;
  }

  /** @return the sync event log */
  public EventLog eventLog() {
    return eventLog;
  }

  /** @return the audit log's replication to admin peers */
  AuditReplication auditReplication() {
    return auditReplication;
  }

  /** @return the access policy every sync action is decided by */
  public AccessPolicy access() {
    return access;
  }

  /** @return the metrics served at {@code GET /metrics} */
  public Metrics metrics() {
    return metrics;
  }

  /** Closes the stores. */
  @Override
  public void close() {
    subscriptions.forEach(StoreChangeFeed.Subscription::close);
    follower.shutdownNow();
    eventLog.close();
    stores.close();
  }
}
