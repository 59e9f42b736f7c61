package dev.aura.revocation;

import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditLog;
import dev.aura.spi.Fingerprint;
import dev.aura.spi.MothershipId;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationStore;
import dev.aura.spi.Role;
import dev.aura.spi.StoreException;
import dev.aura.testkit.InMemoryAuditLog;
import dev.aura.testkit.InMemoryRefreshCredentialStore;
import dev.aura.testkit.InMemoryRevocationStore;
import dev.aura.testkit.InMemorySigningKeyStore;
import dev.aura.testkit.InMemoryTokenLedger;
import dev.aura.testkit.ManualClock;
import dev.aura.token.IssuedJoinToken;
import dev.aura.token.IssuedRefreshCredential;
import dev.aura.token.JoinTokenIssuer;
import dev.aura.token.JoinTokenRequest;
import dev.aura.token.JoinTokenValidator;
import dev.aura.token.KeyRing;
import dev.aura.token.RefreshCredentials;
import dev.aura.token.RevocationCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A Mothership in memory: real key ring, issuer, validator and refresh credentials around one revocation list. */
final class TestMothership {
  static final Instant START = Instant.parse("2026-04-21T09:00:00Z");
  static final MothershipId ID = MothershipId.parse("mship_7fcd21a9");
  static final Fingerprint FINGERPRINT = Fingerprint.ofDigest(new byte[32]);
  static final String ADMIN = "admin@acme.com";

  final ManualClock clock;
  final RevocationStore store;
  final AuditLog audit;
  final InMemorySigningKeyStore keyStore = new InMemorySigningKeyStore();
  final InMemoryTokenLedger ledger = new InMemoryTokenLedger();
  final InMemoryRefreshCredentialStore credentialStore = new InMemoryRefreshCredentialStore();
  final KeyRing ring;
  final RevocationList list;
  final JoinTokenIssuer issuer;

  TestMothership() throws StoreException {
    this(ManualClock.startingAt(START), new InMemoryRevocationStore(), new InMemoryAuditLog());
  }

  TestMothership(ManualClock clock, RevocationStore store, AuditLog audit) throws StoreException {
    this.clock = clock;
    this.store = store;
    this.audit = audit;
    this.ring = KeyRing.builder().store(keyStore).clock(clock).rotationGrace(Duration.ofHours(24)).open();
    this.list = RevocationList.open(store, audit, clock);
    this.issuer = JoinTokenIssuer.builder().mothershipId(ID).keyRing(ring).ledger(ledger).clock(clock)
        .fingerprint(() -> FINGERPRINT).build();
  }

  IssuedJoinToken issue(String subject) throws Exception {
    return issuer.issue(JoinTokenRequest.forSubject(subject).build());
  }

  JoinTokenValidator validator(RevocationCheck check) {
    return JoinTokenValidator.builder().mothershipId(ID).keys(ring::publicKeys).clock(clock)
        .acceptedFingerprints(() -> Set.of(FINGERPRINT)).permitRoles(Role.values()).revocation(check)
        .ledger(ledger).build();
  }

  RefreshCredentials credentials(RevocationCheck check) {
    return RefreshCredentials.builder().mothershipId(ID).keyRing(ring).store(credentialStore).clock(clock)
        .revocation(check).build();
  }

  /** A peer joined now: its first refresh credential. */
  IssuedRefreshCredential join(PeerId peer, String subject) throws StoreException {
    return credentials(list).issue(peer, subject, Role.MEMBER, clock.instant());
  }

  RevocationPublisher publisher() {
    return RevocationPublisher.of(list, ring, clock);
  }

  List<String> auditLines() throws StoreException {
    List<String> out = new ArrayList<>();
    for (AuditEntry e : audit.readChain(1, 10_000)) {
      out.add(e.event().describe());
    }
    return out;
  }
}
