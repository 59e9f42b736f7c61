package dev.aura.app.server;

import dev.aura.access.AccessPolicy;
import dev.aura.access.PeerGrant;
import dev.aura.app.AuraException;
import dev.aura.app.config.AdminCredential;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.oidc.OidcGate;
import dev.aura.oidc.AssertionRejectedException;
import dev.aura.oidc.IdpException;
import dev.aura.oidc.VerifiedAssertion;
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
import dev.aura.spi.RevocationChange;
import dev.aura.spi.RevocationEntry;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.Role;
import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChangeFeed;
import dev.aura.spi.StoreException;
import dev.aura.spi.UnitOfWork;
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
import java.util.function.Function;
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
 * <p><b>Units of work.</b> Every operation that writes several stores commits them in one transaction
 * ({@link JdbcStores#unitOfWork()}): a join (the token's use, the peer, its refresh credential and the
 * {@code token_used} entry), a refresh rotation (the credential and {@code credential_rotated}), a revocation
 * or its lifting with its audit entry, a workspace limit with its audit entry, a key rotation with
 * {@code key_rotation}, a token issue with {@code token_issued} (a bulk issue: the whole file). A crash or a store failure leaves all of it or none of it; in-memory state (the
 * revocation list, the key ring) follows only what committed. A certificate rotation writes the certificate
 * files, stores them as the shared identity (PostgreSQL; the files are put back when that fails, so nothing is
 * rotated), then one audit entry.
 *
 * <p><b>last_seen</b> is kept in memory ({@code LastSeen}) and written in batches every 5 seconds and at
 * {@link #close()}, so a ping or a control-connection ack writes nothing durable; a crash loses at most the
 * last 5 seconds of it. {@link #peers()} reads the fresher value.
 *
 * <p>Thread-safe.
 */
public final class MothershipService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MothershipService.class);
  private static final int MAX_ADDRESSES = 16;
  private static final long KEY_CATCH_UP_MILLIS = 100;

  private final DataDir dir;
  private final MothershipConfig config;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final MothershipId id;
  private final AdminCredential admin;
  private final JdbcStores stores;
  private final InstanceLock instanceLock;
  private final UnitOfWork units;
  private final LastSeen lastSeen;
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
  private final OidcGate oidc;
  private final AuditReplication auditReplication;
  private final Metrics metrics;
  private final StoreProbe storeProbe;
  private final ExecutorService follower;
  private final List<StoreChangeFeed.Subscription> subscriptions = new ArrayList<>();
  private final List<Consumer<CertificateRotation>> rotationListeners = new CopyOnWriteArrayList<>();
  private final boolean shared;
  private final java.util.concurrent.atomic.AtomicLong lastKeyCatchUp =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - KEY_CATCH_UP_MILLIS * 1_000_000L);

  private MothershipService(DataDir dir, MothershipConfig config, Clock clock, MothershipId id,
      AdminCredential admin, JdbcStores stores, InstanceLock instanceLock, KeyRing keys, TlsCertificates certificates,
      RevocationList revocations, EventLog eventLog, OidcGate oidc) {
    this.dir = dir;
    this.config = config;
    this.clock = clock;
    this.id = id;
    this.admin = admin;
    this.stores = stores;
    this.instanceLock = instanceLock;
    this.shared = SharedIdentity.shared(stores);
    this.units = stores.unitOfWork();
    this.lastSeen = new LastSeen(stores.peerStore(), units);
    this.keys = keys;
    this.certificates = certificates;
    this.revocations = revocations;
    this.eventLog = eventLog;
    this.access = AccessPolicy.of(revocations, clock);
    this.oidc = oidc;
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
    this.storeProbe = new StoreProbe(() -> stores.revocationStore().latestVersion(), Duration.ofSeconds(2));
  }

  /**
   * Opens the Mothership's state in a data directory, creating what is missing: the directory (0700), the
   * id, the admin credential, the store, the first signing key and a self-signed certificate.
   *
   * @throws AuraException when the store cannot be opened or a file cannot be read or written
   */
  public static MothershipService open(DataDir dir, MothershipConfig config, Clock clock) throws AuraException {
    OidcGate oidc = OidcGate.open(config, clock); // an unusable IdP is an error at start, never a downgrade
    SecureRandom random = new SecureRandom();
    try {
      dir.create();
    } catch (IOException e) {
      throw new AuraException("cannot prepare the data directory " + dir.root(), e.getMessage());
    }
    String url = config.store().urlIfAny().orElse(dir.defaultStoreUrl());
    // The store first: a wrong key file is refused here, before the data directory gains an id or a key.
    JdbcStores stores = openStores(url, config);
    InstanceLock lock = null;
    try {
      if (stores.sqliteFile().isPresent()) {
        lock = InstanceLock.acquire(stores.sqliteFile().get());
      }
      KeyRing.Builder ring = KeyRing.builder().store(stores.signingKeyStore()).clock(clock)
          .algorithm(config.jwt().algorithm()).rotationGrace(config.jwt().keyRotationGrace());
      if (config.jwt().allowRs256Legacy()) {
        ring.allowRs256Legacy();
      }
      // Shared store: the identity and the first signing key in one transaction, so that of instances starting
      // together on an empty database the others wait for the first one's identity row and then load its key.
      UnitOfWork.Work<Established, AuraException> establish =
          () -> new Established(SharedIdentity.establish(dir, config.tls(), stores, random, clock), ring.open());
      Established established = SharedIdentity.shared(stores) ? stores.unitOfWork().inTransaction(establish)
          : establish.run();
      MothershipId id = established.id();
      KeyRing keys = established.keys();
      AdminCredential admin;
      try {
        admin = dir.loadOrCreateAdminCredential(random);
      } catch (IOException | IllegalArgumentException e) {
        throw new AuraException("cannot prepare the data directory " + dir.root(), e.getMessage());
      }
      TlsCertificates certificates = TlsCertificates.loadOrGenerate(dir, config.tls(), clock);
      RevocationList revocations = RevocationList.open(stores.revocationStore(), stores.auditLog(), clock);
      EventLog events = openEventLog(dir, url, config, clock);
      return new MothershipService(dir, config, clock, id, admin, stores, lock, keys, certificates, revocations,
          events, oidc);
    } catch (StoreException e) {
      release(stores, lock);
      throw new AuraException("cannot read the store " + stores.location(), e.getMessage());
    } catch (AuraException | RuntimeException e) {
      release(stores, lock);
      throw e;
    }
  }

  private record Established(MothershipId id, KeyRing keys) {}

  private static void release(JdbcStores stores, InstanceLock lock) {
    stores.close();
    if (lock != null) {
      lock.close();
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
      if (e.reason() == JdbcStoreException.Reason.KEY_FILE) {
        // [store] key_file; the cause names the file and the key file id the database expects.
        throw new AuraException("store key file rejected: " + (config.store().keyFile() != null
            ? config.store().keyFile() : JdbcStores.DEFAULT_KEY_FILE_NAME + " beside the database"), e.getMessage());
      }
      throw new AuraException("store unreachable", e.getMessage());
    }
  }

  /**
   * A token or credential signed by a key another instance sharing the store has just created: reads the ring
   * now rather than when the change feed's notice arrives, so that it is accepted on every instance as soon
   * as {@code rotate-key} returned. At most one such read per {@value #KEY_CATCH_UP_MILLIS} ms, so unknown
   * key ids cannot make every request read the store.
   */
  private void catchUpKeysFor(String signed) {
    if (!shared || signed == null || signed.length() > dev.aura.token.TokenType.JOIN.maxLength()) {
      return; // the validator refuses it unread
    }
    Object kid = dev.aura.token.TokenDecoder.decode(signed).header().map(h -> h.get("kid")).orElse(null);
    if (!(kid instanceof String k) || keys.publicKeys().find(k).isPresent()) {
      return;
    }
    long now = System.nanoTime();
    long last = lastKeyCatchUp.get();
    if (now - last >= KEY_CATCH_UP_MILLIS * 1_000_000L && lastKeyCatchUp.compareAndSet(last, now)) {
      reloadKeys();
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
    return join(token, null, addresses, source);
  }

  /**
   * As {@link #join(String, List, String)} with the identity provider's ID token the join carries, checked
   * (when {@code [oidc]} requires one for the token's role) after the token verified and before its use is
   * consumed; audited with the IdP and subject ({@code by oidc:<issuer> for <subject>}), never the ID token.
   *
   * @param idToken the ID token, or null
   */
  public Joined join(String token, String idToken, List<String> addresses, String source)
      throws TokenRejectedException, ApiException, StoreException {
    long started = System.nanoTime();
    String outcome = Metrics.ERROR;
    try {
      Joined joined = admitJoin(token, idToken, addresses, source);
      outcome = Metrics.OK;
      return joined;
    } catch (TokenRejectedException | ApiException e) {
      outcome = Metrics.REJECTED;
      throw e;
    } finally {
      metrics.joinTook(outcome, started);
    }
  }

  private Joined admitJoin(String token, String idToken, List<String> addresses, String source)
      throws TokenRejectedException, ApiException, StoreException {
    checkRateLimit(source);
    catchUpKeysFor(token);
    List<String> announced = checkAddresses(addresses);
    Joined joined;
    try {
      // Verify (consuming nothing), check the assertion, and sign the peer's credential before the unit, so
      // no signature work runs inside it (on SQLite, units run one at a time under the writer lock).
      VerifiedJoinToken presented = validator.verify(token);
      Optional<VerifiedAssertion> assertion = oidc.enabled()
          ? checkAssertion(presented.subject(), presented.role(), idToken, source) : Optional.empty();
      Instant joinedAt = clock.instant();
      RefreshCredentials.Minted signed = credentials.mint(randomPeerId(), presented.subject(), presented.role(),
          joinedAt);
      // One unit: the use, the peer, its credential and token_used commit together or not at all.
      joined = units.inTransaction(() -> {
        VerifiedJoinToken verified = validator.consume(presented);
        Instant now = clock.instant();
        Function<PeerId, PeerRecord> recordOf = id -> new PeerRecord(id, verified.subject(), verified.role(),
            verified.jti(), joinedAt, now, announced, verified.workspaces());
        RefreshCredentials.Minted minted = signed;
        PeerRecord record = recordOf.apply(minted.peer());
        while (!stores.peerStore().create(record)) { // the id is taken, or a racing join just took it
          minted = credentials.mint(randomPeerId(), verified.subject(), verified.role(), joinedAt);
          record = recordOf.apply(minted.peer());
        }
        PeerId peer = minted.peer();
        IssuedRefreshCredential credential = credentials.issue(minted);
        AuditEvent used = AuditEvent.of(AuditEventType.TOKEN_USED, now, verified.jti().value())
            .withPeer(peer.value()).from(source);
        if (assertion.isPresent()) {
          used = used.by(oidc.asserted(peer, assertion.get())).forSubject(assertion.get().subject());
        }
        stores.auditLog().append(used);
        return new Joined(record, credential);
      });
    } catch (TokenRejectedException e) {
      handshakeFailed("jt_" + e.reason().code(), e.reason().code(), source);
      throw e;
    }
    metrics.joined();
    PeerRecord peer = joined.peer();
    LOG.info("{} joined as {} ({}) from {}", peer.subject(), peer.id(), peer.role(), source);
    return joined;
  }

  /** The {@code [oidc]} check of a verified join token, audited as {@code handshake_fail <reason>} when refused. */
  private Optional<VerifiedAssertion> checkAssertion(String subject, Role role, String idToken, String source)
      throws ApiException {
    try {
      return oidc.check(subject, role, idToken);
    } catch (AssertionRejectedException e) {
      handshakeFailed(e.reason().code(), e.reason().code(), source);
      throw oidc.refusal(e);
    } catch (IdpException e) {
      LOG.warn("identity provider unreachable checking an assertion from {}: {}", source, e.getMessage());
      throw OidcGate.unavailable(e);
    }
  }

  /** Refuses a peer whose {@code [oidc] reassert_every} has passed since its last assertion. */
  private void requireReasserted(AuthenticatedPeer peer, String source) throws ApiException, StoreException {
    try {
      oidc.requireReasserted(peer.peer(), peer.role(), stores.auditLog());
    } catch (AssertionRejectedException e) {
      handshakeFailed(e.reason().code(), e.reason().code(), source);
      throw oidc.refusal(e);
    }
  }

  /**
   * A joined peer presents a fresh ID token ({@code aura mothership reassert}), audited as
   * {@code idp_reasserted <peer> by oidc:<issuer> for <subject>}.
   *
   * @throws ApiException 401/403 for a refused credential or assertion, 400 when its role needs none
   */
  public VerifiedAssertion reassert(String credential, String idToken, String source)
      throws ApiException, StoreException {
    checkRateLimit(source);
    AuthenticatedPeer peer;
    try {
      catchUpKeysFor(credential);
      peer = credentials.authenticate(credential);
    } catch (TokenRejectedException e) {
      handshakeFailed("rc_" + e.reason().code(), e.reason().code(), source);
      throw peerRejection(e);
    }
    if (!oidc.requiredFor(peer.role())) {
      throw ApiException.badRequest("no identity provider assertion needed", "role " + peer.role()
          + " needs none here (oidc.required_for)");
    }
    Optional<VerifiedAssertion> assertion = checkAssertion(peer.subject(), peer.role(), idToken, source);
    String actor = oidc.asserted(peer.peer(), assertion.orElseThrow());
    stores.auditLog().append(AuditEvent.of(AuditEventType.IDP_REASSERTED, clock.instant(), peer.peer().value())
        .by(actor).forSubject(assertion.get().subject()).from(source));
    touch(peer.peer());
    return assertion.get();
  }

  /** @return whether a connected peer must reassert before it may go on ({@code [oidc] reassert_every}) */
  public boolean reassertionDue(AuthenticatedPeer peer) {
    return oidc.reassertionDue(peer.peer(), peer.role(), stores.auditLog());
  }

  /** @return the {@code [oidc]} policy */
  public OidcGate oidc() {
    return oidc;
  }

  private PeerId randomPeerId() {
    byte[] bytes = new byte[4];
    random.nextBytes(bytes);
    return PeerId.parse(PeerId.PREFIX + HexFormat.of().formatHex(bytes));
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
    catchUpKeysFor(credential);
    try {
      // Verified and signed before the unit; inside it only the store's compare-and-swap and the entry.
      AuthenticatedPeer who = credentials.authenticate(credential);
      if (oidc.reassertsPeers()) {
        requireReasserted(who, source);
      }
      RefreshCredentials.Minted minted = credentials.mint(who.peer(), who.subject(), who.role(), who.joinedAt());
      next = units.inTransaction(() -> {
        IssuedRefreshCredential rotated = credentials.rotate(who, minted);
        stores.auditLog().append(AuditEvent.of(AuditEventType.CREDENTIAL_ROTATED, clock.instant(),
            rotated.credentialId()).withPeer(rotated.peer().value()).from(source));
        return rotated;
      });
    } catch (TokenRejectedException e) {
      handshakeFailed("rc_" + e.reason().code(), e.reason().code(), source);
      throw e;
    }
    metrics.credentialRotated();
    touch(next.peer());
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
      catchUpKeysFor(credential);
      AuthenticatedPeer peer = credentials.authenticate(credential);
      requireReasserted(peer, source);
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
    PeerRecord updated = lastSeen.fresher(record).withWorkspaces(workspaces);
    units.inTransaction(() -> {
      stores.peerStore().save(updated);
      return stores.auditLog().append(AuditEvent.of(AuditEventType.PEER_WORKSPACES, clock.instant(),
          peer.value()).by(by.actor()).forSubject(record.subject()));
    });
    return updated;
  }

  /**
   * Records that a peer was heard from now, in memory: written to the peer store by the next batch (within
   * 5 seconds) or at {@link #close()}. Writes nothing durable itself.
   */
  public void touch(PeerId peer) {
    lastSeen.seen(peer, clock.instant());
  }

  /**
   * @return every registered peer, ordered by id, each with the latest {@code last_seen} (the one in memory
   *     when it is fresher than the stored one)
   * @throws StoreException if the store failed
   */
  public List<PeerRecord> peers() throws StoreException {
    List<PeerRecord> fresh = new ArrayList<>();
    for (PeerRecord p : stores.peerStore().list()) {
      fresh.add(lastSeen.fresher(p));
    }
    return fresh;
  }

  /**
   * Writes the pending {@code last_seen} values now, in one unit of work (the service does it every 5
   * seconds and at close).
   *
   * @return how many peers were written
   * @throws StoreException if the store failed; the values stay pending
   */
  public int flushLastSeen() throws StoreException {
    return lastSeen.flush();
  }

  // ---------------------------------------------------------------- tokens

  /**
   * Issues one join token, audited as {@code token_issued <jti> by <actor> for <subject>}.
   *
   * @throws TokenIssuanceException when the expiry exceeds {@code jwt.max_expiry}
   */
  public IssuedJoinToken issue(JoinTokenRequest request, Principal by) throws TokenIssuanceException,
      StoreException {
    // Signed outside the unit; then one unit: the ledger row and token_issued commit together, so no token
    // exists without its entry.
    JoinTokenIssuer.Minted minted = issuer.mint(request);
    IssuedJoinToken token = units.inTransaction(() -> {
      IssuedJoinToken issued = issuer.issue(minted);
      auditIssued(issued, by);
      return issued;
    });
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
    // Signed first, outside the unit; then one unit for the whole file: every token with its entry, or none.
    List<JoinTokenIssuer.Minted> minted = issuer.mintBulk(rows, expiresIn);
    List<IssuedJoinToken> tokens = units.inTransaction(() -> {
      List<IssuedJoinToken> issued = new ArrayList<>(minted.size());
      for (JoinTokenIssuer.Minted m : minted) {
        IssuedJoinToken t = issuer.issue(m);
        auditIssued(t, by);
        issued.add(t);
      }
      return issued;
    });
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
    Instant at = clock.instant();
    RevocationEntry entry = recordRevocation(RevocationChange.Action.REVOKE, AuditEventType.TOKEN_REVOKED, target,
        by, at);
    LOG.info("revoked {} {} at version {} by {}", target.kind(), target.value(), entry.version(), by.actor());
    return new Revocation(entry.version(), target, at);
  }

  /** Lifts a revocation; empty when the target was not revoked. */
  public Optional<Revocation> unrevoke(RevocationTarget target, Principal by) throws ApiException,
      StoreException {
    requireKnown(target);
    revocations.refresh();
    Optional<Revocation> current = revocations.find(target);
    if (current.isPresent()) {
      RevocationEntry entry = recordRevocation(RevocationChange.Action.UNREVOKE, AuditEventType.TOKEN_UNREVOKED,
          target, by, clock.instant());
      LOG.info("unrevoked {} {} at version {} by {}", target.kind(), target.value(), entry.version(), by.actor());
    }
    return current;
  }

  /**
   * Stores a revocation change and its audit entry in one unit, then lets the revocation list catch up
   * (which applies it and tells its listeners). {@link RevocationList#revoke} would write the two outside
   * any unit and apply the change in memory before the audit entry is written, so a failure between them
   * would leave the list ahead of the store.
   */
  private RevocationEntry recordRevocation(RevocationChange.Action action, AuditEventType audited,
      RevocationTarget target, Principal by, Instant at) throws StoreException {
    RevocationEntry entry = units.inTransaction(() -> {
      RevocationEntry stored = stores.revocationStore().append(new RevocationChange(action, target, by.actor(), at,
          null));
      stores.auditLog().append(AuditEvent.of(audited, at, target.value()).by(by.actor()));
      return stored;
    });
    revocations.refresh();
    return entry;
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
    String next;
    try {
      next = units.inTransaction(() -> {
        keys.reload(); // repeatable: a retried unit starts again from the stored ring, not a half rotation
        String kid = keys.rotate();
        stores.auditLog().append(AuditEvent.of(AuditEventType.KEY_ROTATION, clock.instant(), kid)
            .by(by.actor()));
        return kid;
      });
    } catch (StoreException | RuntimeException e) {
      keys.reload(); // the ring installed the new key before the unit failed: back to what is stored
      throw e;
    }
    Instant retireAt = keys.describe().stream().filter(k -> k.kid().equals(previous)).findFirst()
        .flatMap(k -> k.retireAtIfAny()).orElse(clock.instant());
    return new KeyRotation(next, previous, retireAt);
  }

  /**
   * Rotates the TLS certificate, audited as {@code tls_rotation <fingerprint> by <actor>}; listeners (the
   * HTTPS connector, connected peers) are told.
   */
  public CertificateRotation rotateCertificate(Principal by) throws AuraException, StoreException {
    CertificateRotation rotation;
    synchronized (certificates) {
      // stored in the shared identity before it is served: a database that is down leaves nothing rotated
      rotation = certificates.rotate(r -> SharedIdentity.storeRotated(dir, id, stores, r, clock));
    }
    stores.auditLog().append(AuditEvent.of(AuditEventType.TLS_ROTATION, clock.instant(),
        rotation.identity().fingerprint().toString()).by(by.actor()));
    tellRotated(rotation);
    return rotation;
  }

  /**
   * Serves the certificate another instance sharing the store rotated to (announced by the change feed): writes
   * it and the certificates still in their grace, with their handovers, into the data directory, reloads the
   * ring and tells the listeners (the HTTPS connector, connected peers) as {@link #rotateCertificate} does.
   * A no-op when this instance serves the stored certificate already, and for SQLite or an operator-provided
   * certificate.
   *
   * @return whether a new certificate is served
   */
  public boolean followCertificate() {
    CertificateRotation rotation;
    try {
      synchronized (certificates) {
        if (!SharedIdentity.adoptRotated(dir, config.tls(), stores, clock)) {
          return false;
        }
        rotation = certificates.reload();
      }
    } catch (AuraException e) {
      LOG.warn("could not load the certificate another instance rotated to: {}: {}", e.what(), e.why().orElse(""));
      return false;
    }
    LOG.info("serving certificate {}, rotated by another instance", rotation.identity().fingerprint());
    tellRotated(rotation);
    return true;
  }

  private void tellRotated(CertificateRotation rotation) {
    for (Consumer<CertificateRotation> listener : rotationListeners) {
      try {
        listener.accept(rotation);
      } catch (RuntimeException e) {
        LOG.warn("certificate rotation listener failed: {}", e.toString());
      }
    }
  }

  /** Registers a listener told of every certificate rotation. */
  public void addRotationListener(Consumer<CertificateRotation> listener) {
    rotationListeners.add(listener);
  }

  // ---------------------------------------------------------------- health

  /** @return whether the store answered a cheap read within 2 s ({@code store_unreachable} when not) */
  public boolean storeAnswers() {
    return storeProbe.answers();
  }

  /**
   * @return as {@link #storeAnswers} but without waiting: the last probe's verdict, false while one waits past
   *     2 s (for heartbeats, which must keep their rhythm while the database is away)
   */
  public boolean storeAnsweredLately() {
    return storeProbe.answeredLately();
  }

  /** @return the {@code /healthz} reasons that apply now; empty when healthy */
  public List<String> healthProblems() {
    List<String> reasons = new ArrayList<>();
    ExpiryStatus expiry = new ExpiryMonitor(clock).check(certificates.current().certificate());
    expiry.healthzReason().ifPresent(reasons::add);
    if (!storeAnswers()) {
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
    storeProbe.close();
    lastSeen.close();
    subscriptions.forEach(StoreChangeFeed.Subscription::close);
    follower.shutdownNow();
    eventLog.close();
    stores.close();
    if (instanceLock != null) {
      instanceLock.close();
    }
  }
}
