package dev.aura.store.jdbc;

import static dev.aura.store.jdbc.Fixtures.T0;
import static dev.aura.store.jdbc.Fixtures.jti;
import static dev.aura.store.jdbc.Fixtures.token;
import static dev.aura.store.jdbc.Fixtures.tokenHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.AuditChain;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.AuditQuery;
import dev.aura.spi.AuditVerification;
import dev.aura.spi.ConsumeOutcome;
import dev.aura.spi.Jti;
import dev.aura.spi.PeerId;
import dev.aura.spi.PeerRecord;
import dev.aura.spi.Role;
import dev.aura.spi.RevocationEntry;
import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreChangeFeed;
import dev.aura.spi.StoredSigningKey;
import dev.aura.spi.TokenLedger;
import dev.aura.spi.WorkspaceName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behaviour both databases must show beyond the SPI contracts: atomic consumption under heavy contention,
 * within one store and across two independently opened ones; gap-free revocation versions and one audit
 * chain across stores; tamper detection with plain SQL; change notification; keys at rest.
 */
abstract class StoreBehaviourTest {
  private static final int THREADS = 64;
  private static final int ATTEMPTS = 10_000;
  private static final int[] ALLOWED_USES = {1, 1, 7, 50, 500};
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir Path dir;
  Backend backend;
  final List<JdbcStores> opened = new ArrayList<>();

  /** Makes the database under test in (or next to) {@code dir}. */
  abstract Backend newBackend(Path dir) throws Exception;

  @BeforeEach
  void createBackend() throws Exception {
    backend = newBackend(dir);
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (JdbcStores stores : opened) {
      stores.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  JdbcStores open() throws JdbcStoreException {
    JdbcStores stores = backend.open();
    opened.add(stores);
    return stores;
  }

  // ---- atomic consumption ------------------------------------------------------------------------------

  @Test
  void consume_10000AttemptsFrom64ThreadsOnOneStore_exactlyTheAllowedUsesSucceed() throws Exception {
    JdbcStores stores = open();
    assertRaceConsumesExactlyAllowedUses(List.of(stores.tokenLedger()));
  }

  @Test
  void consume_10000AttemptsFrom64ThreadsOnTwoIndependentStores_exactlyTheAllowedUsesSucceed() throws Exception {
    JdbcStores first = open();
    JdbcStores second = open();
    assertRaceConsumesExactlyAllowedUses(List.of(first.tokenLedger(), second.tokenLedger()));
  }

  private void assertRaceConsumesExactlyAllowedUses(List<TokenLedger> ledgers) throws Exception {
    List<Jti> tokens = new ArrayList<>();
    for (int i = 0; i < ALLOWED_USES.length; i++) {
      Jti jti = jti(1_000 + i);
      assertThat(ledgers.get(0).record(token(jti, ALLOWED_USES[i]))).isTrue();
      tokens.add(jti);
    }
    AtomicIntegerArray consumed = new AtomicIntegerArray(tokens.size());
    AtomicIntegerArray refused = new AtomicIntegerArray(tokens.size());
    Instant now = T0.plusSeconds(30);
    runConcurrently(THREADS, ATTEMPTS, attempt -> {
      int index = attempt % tokens.size();
      TokenLedger ledger = ledgers.get((attempt / tokens.size()) % ledgers.size());
      ConsumeOutcome outcome = ledger.consume(tokens.get(index), tokenHash(tokens.get(index)), now);
      if (outcome == ConsumeOutcome.CONSUMED) {
        consumed.incrementAndGet(index);
      } else if (outcome == ConsumeOutcome.ALREADY_USED) {
        refused.incrementAndGet(index);
      } else {
        throw new AssertionError("unexpected outcome " + outcome);
      }
    });
    for (int i = 0; i < tokens.size(); i++) {
      int attempts = ATTEMPTS / tokens.size();
      assertThat(consumed.get(i)).as("uses consumed of the token allowing %d", ALLOWED_USES[i])
          .isEqualTo(ALLOWED_USES[i]);
      assertThat(refused.get(i)).isEqualTo(attempts - ALLOWED_USES[i]);
      assertThat(ledgers.get(1 % ledgers.size()).find(tokens.get(i)).orElseThrow().usesConsumed())
          .isEqualTo(ALLOWED_USES[i]);
    }
  }

  /** Runs {@code attempts} calls of {@code work} (numbered from 0) on {@code threads} threads, bounded. */
  static void runConcurrently(int threads, int attempts, Attempt work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Void>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        Callable<Void> task = () -> {
          start.await();
          for (int attempt = first; attempt < attempts; attempt += threads) {
            work.run(attempt);
          }
          return null;
        };
        futures.add(pool.submit(task));
      }
      start.countDown();
      for (Future<Void> future : futures) {
        future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** One numbered attempt. */
  interface Attempt {
    void run(int attempt) throws Exception;
  }

  // ---- revocations and the audit chain across stores ---------------------------------------------------

  @Test
  void revocationAppend_fromTwoStoresAndManyThreads_getsDistinctGapFreeVersions() throws Exception {
    JdbcStores first = open();
    JdbcStores second = open();
    int appends = 200;
    runConcurrently(16, appends, i -> (i % 2 == 0 ? first : second).revocationStore()
        .append(Fixtures.revokeSubject("user" + i + "@acme.com", T0.plusSeconds(i))));

    List<RevocationEntry> all = first.revocationStore().since(0, 1_000);
    assertThat(all).extracting(RevocationEntry::version)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, appends).boxed().toList());
    assertThat(all).extracting(e -> e.change().target().value()).doesNotHaveDuplicates().hasSize(appends);
    assertThat(second.revocationStore().latestVersion()).isEqualTo(appends);
  }

  @Test
  void auditAppend_fromTwoStoresAndManyThreads_formsOneChainThatVerifies() throws Exception {
    JdbcStores first = open();
    JdbcStores second = open();
    int appends = 200;
    runConcurrently(16, appends, i -> (i % 2 == 0 ? first : second).auditLog()
        .append(Fixtures.used(jti(i), T0.plusSeconds(i))));

    AuditVerification verification = AuditChain.verify(second.auditLog());
    assertThat(verification.isIntact()).as(verification.problem()).isTrue();
    assertThat(verification.entriesChecked()).isEqualTo(appends);
  }

  @Test
  void auditQuery_bySinceAndType_returnsOnlyMatchingEntriesOldestFirst() throws Exception {
    JdbcStores stores = open();
    Instant now = T0.plus(Duration.ofDays(3));
    stores.auditLog().append(AuditEvent.of(AuditEventType.KEY_ROTATION, now.minus(Duration.ofHours(30)), "kid-1"));
    stores.auditLog().append(AuditEvent.of(AuditEventType.KEY_ROTATION, now.minus(Duration.ofHours(2)), "kid-2"));
    stores.auditLog().append(Fixtures.used(jti(1), now.minus(Duration.ofHours(1))));
    stores.auditLog().append(AuditEvent.of(AuditEventType.KEY_ROTATION, now.minus(Duration.ofHours(5)), "kid-3"));

    List<AuditEntry> found = stores.auditLog().query(
        new AuditQuery(now.minus(Duration.ofHours(24)), now, Set.of(AuditEventType.KEY_ROTATION), 100));

    assertThat(found).extracting(e -> e.event().reference()).containsExactly("kid-3", "kid-2");
  }

  @Test
  void auditQuery_atNanosecondBoundaries_includesFromAndExcludesTo() throws Exception {
    JdbcStores stores = open();
    Instant at = T0.plusNanos(123_456_789);
    stores.auditLog().append(Fixtures.used(jti(1), at));

    assertThat(stores.auditLog().query(AuditQuery.between(at, at.plusNanos(1), 10))).hasSize(1);
    assertThat(stores.auditLog().query(AuditQuery.between(at.plusNanos(1), at.plusSeconds(1), 10))).isEmpty();
    assertThat(stores.auditLog().query(AuditQuery.between(at.minusSeconds(1), at, 10))).isEmpty();
  }

  // ---- tamper detection ---------------------------------------------------------------------------------

  private JdbcStores auditLogOfFive() throws Exception {
    JdbcStores stores = open();
    for (int i = 1; i <= 5; i++) {
      stores.auditLog().append(Fixtures.used(jti(i), T0.plusSeconds(i)));
    }
    assertThat(AuditChain.verify(stores.auditLog()).isIntact()).isTrue();
    return stores;
  }

  private void sql(String... statements) throws Exception {
    try (Connection c = backend.connect(); Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.executeUpdate(statement);
      }
    }
  }

  @Test
  void verify_afterARowWasEditedWithSql_namesThatEntryAsModified() throws Exception {
    JdbcStores stores = auditLogOfFive();
    sql("UPDATE audit_log SET source = '10.6.6.6' WHERE seq = 3");

    AuditVerification verification = AuditChain.verify(stores.auditLog());

    assertThat(verification.firstBadSequence()).isEqualTo(3);
    assertThat(verification.problem()).isEqualTo("entry 3 was modified (its content does not match its hash)");
  }

  @Test
  void verify_afterARowWasDeletedWithSql_namesTheMissingEntry() throws Exception {
    JdbcStores stores = auditLogOfFive();
    sql("DELETE FROM audit_log WHERE seq = 3");

    AuditVerification verification = AuditChain.verify(stores.auditLog());

    assertThat(verification.firstBadSequence()).isEqualTo(3);
    assertThat(verification.problem()).isEqualTo("entry 3 is missing (next entry found is 4)");
  }

  @Test
  void verify_afterTwoRowsWereSwappedWithSql_namesTheFirstOfThem() throws Exception {
    JdbcStores stores = auditLogOfFive();
    sql("UPDATE audit_log SET seq = -3 WHERE seq = 3", "UPDATE audit_log SET seq = 3 WHERE seq = 4",
        "UPDATE audit_log SET seq = 4 WHERE seq = -3");

    AuditVerification verification = AuditChain.verify(stores.auditLog());

    assertThat(verification.firstBadSequence()).isEqualTo(3);
    assertThat(verification.problem()).startsWith("entry 3 does not follow entry 2");
  }

  @Test
  void verify_afterARowWasEditedIntoAnInvalidEvent_stillNamesThatEntryAsModified() throws Exception {
    JdbcStores stores = auditLogOfFive();
    try (Connection c = backend.connect(); java.sql.PreparedStatement s = c.prepareStatement(
        "UPDATE audit_log SET type = 'made_up', reference = ? WHERE seq = 2")) {
      s.setString(1, "line one\nline two");
      assertThat(s.executeUpdate()).isEqualTo(1);
    }

    AuditVerification verification = AuditChain.verify(stores.auditLog());

    assertThat(verification.firstBadSequence()).isEqualTo(2);
    assertThat(verification.problem()).contains("modified");
  }

  @Test
  void verify_afterTheLastRowWasEditedAndMoreAppended_namesTheEditedEntry() throws Exception {
    JdbcStores stores = auditLogOfFive();
    sql("UPDATE audit_log SET actor = 'mallory' WHERE seq = 5");
    stores.auditLog().append(Fixtures.used(jti(6), T0.plusSeconds(6)));

    AuditVerification verification = AuditChain.verify(stores.auditLog());

    assertThat(verification.firstBadSequence()).isEqualTo(5);
    assertThat(verification.problem()).contains("entry 5 was modified");
  }

  // ---- change notification ------------------------------------------------------------------------------

  @Test
  void changeFeed_onARevocationAppendedByThisStore_deliversItsVersion() throws Exception {
    JdbcStores stores = open();
    BlockingQueue<StoreChange> seen = new LinkedBlockingQueue<>();
    StoreChangeFeed.Subscription subscription = stores.changeFeed().subscribe(seen::add);
    try {
      stores.revocationStore().append(Fixtures.revokeSubject("carol@contractor.com", T0));
      assertThat(seen.poll(BOUND.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(new StoreChange(StoreChange.Topic.REVOCATIONS, 1));
    } finally {
      subscription.close();
    }
  }

  @Test
  void changeFeed_afterTheSubscriptionIsClosed_deliversNothingMore() throws Exception {
    JdbcStores stores = open();
    BlockingQueue<StoreChange> seen = new LinkedBlockingQueue<>();
    StoreChangeFeed.Subscription subscription = stores.changeFeed().subscribe(seen::add);
    BlockingQueue<StoreChange> control = new LinkedBlockingQueue<>();
    stores.changeFeed().subscribe(control::add);
    subscription.close();
    subscription.close();

    stores.signingKeyStore().saveAll(List.of(Fixtures.primaryKey("k1", T0)));

    // Once the control listener heard the change, the closed one would have heard it too.
    assertThat(control.poll(BOUND.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo(new StoreChange(StoreChange.Topic.SIGNING_KEYS, 0));
    assertThat(seen).isEmpty();
  }

  // ---- keys at rest and lifecycle -----------------------------------------------------------------------

  @Test
  void signingKeys_privateKeyIsStoredEncryptedAndLoadsBackWithTheKeyFile() throws Exception {
    JdbcStores stores = open();
    StoredSigningKey key = Fixtures.primaryKey("k1", T0);
    stores.signingKeyStore().saveAll(List.of(key));

    try (Connection c = backend.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT public_jwk, private_jwk_sealed FROM signing_keys")) {
      assertThat(rs.next()).isTrue();
      byte[] sealed = rs.getBytes(2);
      assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(Fixtures.PRIVATE_D)
          .doesNotContain("\"d\"");
      assertThat(rs.getString(1)).doesNotContain(Fixtures.PRIVATE_D);
    }
    JdbcStores reopened = open();
    assertThat(reopened.signingKeyStore().loadAll()).singleElement()
        .satisfies(loaded -> assertThat(loaded.privateJwk()).isEqualTo(key.privateJwk()));
  }

  @Test
  void signingKeys_sealedKeyCopiedToAnotherKid_isRefusedAsNotDecrypting() throws Exception {
    JdbcStores stores = open();
    stores.signingKeyStore().saveAll(List.of(Fixtures.primaryKey("k1", T0),
        Fixtures.primaryKey("k2", T0.plusSeconds(1)).retired(T0.plusSeconds(2))));
    sql("UPDATE signing_keys SET private_jwk_sealed = (SELECT private_jwk_sealed FROM signing_keys WHERE kid = 'k1')"
        + " WHERE kid = 'k2'");

    assertThatThrownBy(() -> stores.signingKeyStore().loadAll())
        .isInstanceOfSatisfying(JdbcStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(JdbcStoreException.Reason.KEY_FILE))
        .hasMessageContaining("kid k2 does not decrypt");
  }

  @Test
  void reopen_afterClose_keepsEveryWrite() throws Exception {
    JdbcStores stores = open();
    stores.tokenLedger().record(token(jti(1), 2));
    stores.tokenLedger().consume(jti(1), tokenHash(jti(1)), T0.plusSeconds(1));
    stores.revocationStore().append(Fixtures.revokeSubject("carol@contractor.com", T0));
    stores.auditLog().append(Fixtures.used(jti(1), T0));
    stores.close();

    JdbcStores reopened = open();
    assertThat(reopened.tokenLedger().find(jti(1)).orElseThrow().usesConsumed()).isEqualTo(1);
    assertThat(reopened.revocationStore().latestVersion()).isEqualTo(1);
    assertThat(AuditChain.verify(reopened.auditLog()).entriesChecked()).isEqualTo(1);
  }

  @Test
  void anyCall_afterClose_failsAsClosed() throws Exception {
    JdbcStores stores = open();
    stores.close();
    stores.close();

    assertThatThrownBy(() -> stores.tokenLedger().find(jti(1)))
        .isInstanceOfSatisfying(JdbcStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(JdbcStoreException.Reason.CLOSED));
  }

  @Test
  void schemaHistory_afterOpen_recordsTheLatestVersion() throws Exception {
    open();
    Map<String, Boolean> applied = new java.util.HashMap<>();
    try (Connection c = backend.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, success FROM aura_schema_history WHERE version IS NOT NULL")) {
      while (rs.next()) {
        applied.put(rs.getString(1), rs.getBoolean(2));
      }
    }
    assertThat(applied).containsOnly(Map.entry("1", true), Map.entry("2", true), Map.entry("4", true),
        Map.entry("5", true), Map.entry("6", true));
  }

  // ---- schema version 2: peer workspaces ---------------------------------------------------------------

  private List<String> column(String query) throws Exception {
    List<String> values = new ArrayList<>();
    try (Connection c = backend.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  private static PeerRecord peer(String id, String... addresses) {
    return new PeerRecord(PeerId.parse(id), "carol@contractor.com", Role.MEMBER, jti(7), T0, T0.plusSeconds(5),
        List.of(addresses));
  }

  @Test
  void open_onAVersion1Database_migratesInPlace_keepingEveryRow_andItsPeersMayUseEveryWorkspace()
      throws Exception {
    JdbcStores stores = open();
    PeerRecord savedByVersion1 = peer("peer_0000000a", "10.0.1.42:7000");
    stores.peerStore().save(savedByVersion1);
    stores.tokenLedger().record(token(jti(1), 2));
    stores.close();
    // Take the database back to exactly what version 1 left: V2's column, V4's, V5's and V6's tables and
    // their history rows removed.
    sql("ALTER TABLE peers DROP COLUMN workspaces", "DROP TABLE mothership_identity",
        "DROP TABLE mothership_instances", "DROP TABLE mothership_previous_certificates",
        "DELETE FROM aura_schema_history WHERE version IN ('2', '4', '5', '6')");
    sql("INSERT INTO peers (peer_id, subject, role, joined_with, joined_at_s, joined_at_n, last_seen_s,"
        + " last_seen_n) VALUES ('peer_0000000b', 'dave@acme.com', 'admin', '" + jti(8).value() + "', "
        + T0.getEpochSecond() + ", 0, " + T0.getEpochSecond() + ", 0)");
    assertThat(column("SELECT version FROM aura_schema_history WHERE version IS NOT NULL")).containsExactly("1");

    JdbcStores migrated = open();

    assertThat(column("SELECT version FROM aura_schema_history WHERE version IS NOT NULL"))
        .containsExactlyInAnyOrder("1", "2", "4", "5", "6");
    assertThat(migrated.peerStore().find(savedByVersion1.id())).contains(savedByVersion1);
    PeerRecord insertedByVersion1 = migrated.peerStore().find(PeerId.parse("peer_0000000b")).orElseThrow();
    assertThat(insertedByVersion1.subject()).isEqualTo("dave@acme.com");
    assertThat(insertedByVersion1.workspaces()).isEmpty();
    assertThat(migrated.tokenLedger().find(jti(1))).isPresent();
    PeerRecord restricted = savedByVersion1.withWorkspaces(Set.of(WorkspaceName.parse("widget")));
    migrated.peerStore().save(restricted);
    assertThat(migrated.peerStore().find(restricted.id())).contains(restricted);
  }

  @Test
  void reopen_keepsPeerWorkspaces() throws Exception {
    JdbcStores stores = open();
    PeerRecord restricted = peer("peer_0000000a").withWorkspaces(Set.of(WorkspaceName.parse("widget")));
    stores.peerStore().save(restricted);
    stores.close();

    assertThat(open().peerStore().find(restricted.id())).contains(restricted);
  }

  @Test
  void peerWorkspacesColumn_holdsTheSortedNamesJoinedWithCommas_orNullForEveryWorkspace() throws Exception {
    JdbcStores stores = open();
    stores.peerStore().save(peer("peer_0000000a").withWorkspaces(
        Set.of(WorkspaceName.parse("widget"), WorkspaceName.parse("api"))));
    stores.peerStore().save(peer("peer_0000000b"));

    assertThat(column("SELECT workspaces FROM peers ORDER BY peer_id")).containsExactly("api,widget", null);
  }

  // ---- shared Mothership identity ----------------------------------------------------------------------

  private static final String CERT_A = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  private static final String CERT_B = "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n";
  private static final String KEY_A = "-----BEGIN PRIVATE KEY-----\nkey-a-secret\n-----END PRIVATE KEY-----\n";
  private static final String KEY_B = "-----BEGIN PRIVATE KEY-----\nkey-b-secret\n-----END PRIVATE KEY-----\n";

  private static MothershipIdentity identity(String id, String cert, String key) {
    return MothershipIdentity.withCertificate(dev.aura.spi.MothershipId.parse(id), cert,
        dev.aura.spi.SecretBytes.ofUtf8(key));
  }

  @Test
  void adoptIdentity_bySecondStore_returnsTheFirstStoresIdentityAndKeepsIt() throws Exception {
    JdbcStores first = open();
    JdbcStores second = open();
    assertThat(first.identity()).isEmpty();

    MothershipIdentity created = first.adoptIdentity(identity("mship_0a0b0c0d", CERT_A, KEY_A));
    MothershipIdentity adopted = second.adoptIdentity(identity("mship_11223344", CERT_B, KEY_B));

    assertThat(created.mothershipId().value()).isEqualTo("mship_0a0b0c0d");
    assertThat(adopted.mothershipId().value()).isEqualTo("mship_0a0b0c0d");
    assertThat(adopted.certificatePem()).isEqualTo(CERT_A);
    assertThat(adopted.privateKeyPem()).isEqualTo(dev.aura.spi.SecretBytes.ofUtf8(KEY_A));
    assertThat(open().identity()).hasValueSatisfying(i -> assertThat(i.certificatePem()).isEqualTo(CERT_A));
    assertThat(adopted.toString()).doesNotContain("key-a-secret");
  }

  @Test
  void adoptIdentity_storesThePrivateKeySealed_notInPlain() throws Exception {
    open().adoptIdentity(identity("mship_0a0b0c0d", CERT_A, KEY_A));
    try (Connection c = backend.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT private_key_sealed FROM mothership_identity")) {
      assertThat(rs.next()).isTrue();
      byte[] sealed = rs.getBytes(1);
      assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("key-a-secret");
      assertThat(sealed[0]).isEqualTo((byte) 1);
    }
  }

  @Test
  void adoptIdentity_ofAnIdOnlyIdentity_isCompletedByTheFirstCertificate() throws Exception {
    JdbcStores stores = open();
    stores.adoptIdentity(MothershipIdentity.idOnly(dev.aura.spi.MothershipId.parse("mship_0a0b0c0d")));

    MothershipIdentity completed = stores.adoptIdentity(identity("mship_11223344", CERT_B, KEY_B));

    assertThat(completed.mothershipId().value()).isEqualTo("mship_0a0b0c0d");
    assertThat(completed.certificatePem()).isEqualTo(CERT_B);
    assertThat(stores.adoptIdentity(identity("mship_55667788", CERT_A, KEY_A)).certificatePem()).isEqualTo(CERT_B);
  }

  @Test
  void replaceCertificate_isWhatTheNextInstanceAdopts_withThePreviousOneInItsGrace() throws Exception {
    JdbcStores stores = open();
    stores.adoptIdentity(identity("mship_0a0b0c0d", CERT_A, KEY_A));
    List<dev.aura.spi.StoreChange> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    stores.changeFeed().subscribe(heard::add);

    stores.replaceCertificate(identity("mship_0a0b0c0d", CERT_B, KEY_B), previous(1, CERT_A, KEY_A,
        T0.plusSeconds(3600)), T0);

    MothershipIdentity next = open().adoptIdentity(identity("mship_11223344", CERT_A, KEY_A));
    assertThat(next.certificatePem()).isEqualTo(CERT_B);
    assertThat(next.privateKeyPem()).isEqualTo(dev.aura.spi.SecretBytes.ofUtf8(KEY_B));
    List<StoredPreviousCertificate> previous = open().previousCertificates(T0);
    assertThat(previous).hasSize(1);
    assertThat(previous.get(0).certificatePem()).isEqualTo(CERT_A);
    assertThat(previous.get(0).privateKeyPem()).isEqualTo(dev.aura.spi.SecretBytes.ofUtf8(KEY_A));
    assertThat(previous.get(0).handover()).isEqualTo("handover-1");
    assertThat(previous.get(0).retireAt()).isEqualTo(T0.plusSeconds(3600));
    assertThat(stores.previousCertificates(T0.plusSeconds(3600))).isEmpty(); // the grace ends at retireAt
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (heard.stream().noneMatch(c -> c.topic() == dev.aura.spi.StoreChange.Topic.CERTIFICATE)
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(heard).contains(new dev.aura.spi.StoreChange(dev.aura.spi.StoreChange.Topic.CERTIFICATE, 1));

    // the next rotation, after the first grace ended, leaves only its own previous certificate
    stores.replaceCertificate(identity("mship_0a0b0c0d", CERT_A, KEY_A), previous(2, CERT_B, KEY_B,
        T0.plusSeconds(9000)), T0.plusSeconds(3600));
    assertThat(stores.previousCertificates(T0)).extracting(StoredPreviousCertificate::handoverSequence)
        .containsExactly(2L);
    assertThatThrownBy(() -> stores.replaceCertificate(identity("mship_99999999", CERT_A, KEY_A),
        previous(3, CERT_B, KEY_B, T0.plusSeconds(9000)), T0))
        .isInstanceOf(JdbcStoreException.class).hasMessageContaining("no stored identity mship_99999999");
  }

  @Test
  void replaceCertificate_fromACertificateNoLongerStored_writesNothing_andSaysSo() throws Exception {
    JdbcStores stores = open();
    stores.adoptIdentity(identity("mship_0a0b0c0d", CERT_A, KEY_A));
    assertThat(stores.replaceCertificate(identity("mship_0a0b0c0d", CERT_B, KEY_B), previous(1, CERT_A, KEY_A,
        T0.plusSeconds(3600)), T0)).isTrue();

    // a second instance that still served A rotates A away: another instance did so first
    boolean replaced = stores.replaceCertificate(identity("mship_0a0b0c0d", CERT_A + "-other", KEY_A),
        previous(1, "\n" + CERT_A.replace("\n", "\r\n") + "\n", KEY_A, T0.plusSeconds(7200)), T0);

    assertThat(replaced).isFalse();
    assertThat(stores.identity()).hasValueSatisfying(i -> assertThat(i.certificatePem()).isEqualTo(CERT_B));
    assertThat(stores.previousCertificates(T0)).singleElement().satisfies(p -> {
      assertThat(p.handover()).isEqualTo("handover-1");
      assertThat(p.retireAt()).isEqualTo(T0.plusSeconds(3600));
    });
    // the stored certificate, written with other line breaks, is still recognised as the one rotated away from
    assertThat(stores.replaceCertificate(identity("mship_0a0b0c0d", CERT_A, KEY_A), previous(2, CERT_B.strip()
        .replace("\n", "\r\n"), KEY_B, T0.plusSeconds(3600)), T0)).isTrue();
  }

  private static StoredPreviousCertificate previous(long sequence, String cert, String key, Instant retireAt) {
    return new StoredPreviousCertificate(sequence, cert, dev.aura.spi.SecretBytes.ofUtf8(key), "handover-" + sequence,
        retireAt);
  }

  @Test
  void identity_whoseSealedKeyWasCopiedFromASigningKeyRow_isRefusedAsKeyFile() throws Exception {
    JdbcStores stores = open();
    stores.adoptIdentity(identity("mship_0a0b0c0d", CERT_A, KEY_A));
    stores.signingKeyStore().saveAll(List.of(new StoredSigningKey("k1", "EdDSA", StoredSigningKey.KeyStatus.PRIMARY,
        T0, null, "{}", dev.aura.spi.SecretBytes.ofUtf8("{\"d\":\"x\"}"))));
    try (Connection c = backend.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE mothership_identity SET private_key_sealed ="
          + " (SELECT private_jwk_sealed FROM signing_keys WHERE kid = 'k1')");
    }

    assertThatThrownBy(stores::identity).isInstanceOfSatisfying(JdbcStoreException.class,
        e -> assertThat(e.reason()).isEqualTo(JdbcStoreException.Reason.KEY_FILE))
        .hasMessageContaining("the stored TLS private key of the Mothership does not decrypt with");
  }
}
