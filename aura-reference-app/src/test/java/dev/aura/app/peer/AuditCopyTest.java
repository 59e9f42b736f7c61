package dev.aura.app.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.protocol.AuditWire;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.AuditEntry;
import dev.aura.spi.AuditEvent;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.MothershipId;
import dev.aura.testkit.InMemorySigningKeyStore;
import dev.aura.token.KeyRing;
import dev.aura.token.TokenType;
import dev.aura.token.TypedJws;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCopyTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final MothershipId ID = MothershipId.parse("mship_7fcd21a9");

  @TempDir
  Path temp;

  private KeyRing ring;
  private final List<AuditEntry> chain = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    ring = KeyRing.builder().store(new InMemorySigningKeyStore()).clock(Clock.fixed(NOW, java.time.ZoneOffset.UTC))
        .open();
    AuditEntry last = null;
    for (int i = 0; i < 5; i++) {
      last = AuditEntry.chain(last, AuditEvent.of(AuditEventType.TOKEN_ISSUED, NOW.plusSeconds(i), "jt_" + i)
          .by("admin@acme.com"));
      chain.add(last);
    }
  }

  private String head(KeyRing signer, String issuer, AuditEntry at) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer);
    claims.put("seq", at.sequence());
    claims.put("hash", at.hash());
    claims.put("iat", NOW.getEpochSecond());
    return TypedJws.sign(signer, TokenType.AUDIT_HEAD, claims);
  }

  private static ArrayNode page(List<AuditEntry> entries) {
    ArrayNode out = Wire.json().createArrayNode();
    entries.forEach(e -> out.add(AuditWire.write(e)));
    return out;
  }

  @Test
  void aChainedPageWithItsSignedHead_isKept() throws Exception {
    try (AuditCopy copy = AuditCopy.open(temp.resolve("audit-copy.db"), ID)) {
      AuditCopy.Update u = copy.apply(page(chain), head(ring, ID.value(), chain.get(4)), ring.publicKeys(), NOW);

      assertThat(u.added()).isEqualTo(5);
      assertThat(copy.status().signedSeq()).isEqualTo(5);
      assertThat(copy.after(2).orElseThrow().entries()).hasSize(3);
    }
  }

  @Test
  void aTamperedEntry_isRefused_andNothingOfThePageIsKept() throws Exception {
    try (AuditCopy copy = AuditCopy.open(temp.resolve("audit-copy.db"), ID)) {
      ArrayNode page = page(chain);
      ((ObjectNode) page.get(2)).put("reference", "jt_forged");

      assertThatThrownBy(() -> copy.apply(page, head(ring, ID.value(), chain.get(4)), ring.publicKeys(), NOW))
          .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.what()).isEqualTo("audit entries refused"))
          .satisfies(e -> assertThat(((AuraException) e).why().orElseThrow())
              .isEqualTo("entry 3 does not continue this copy's chain at entry 2"));
      assertThat(copy.status().entries()).isZero();
    }
  }

  @Test
  void aHeadSignedByAnotherKey_orForAnotherMothership_isRefused() throws Exception {
    KeyRing other = KeyRing.builder().store(new InMemorySigningKeyStore())
        .clock(Clock.fixed(NOW, java.time.ZoneOffset.UTC)).open();
    try (AuditCopy copy = AuditCopy.open(temp.resolve("audit-copy.db"), ID)) {
      assertThatThrownBy(() -> copy.apply(page(chain), head(other, ID.value(), chain.get(4)), ring.publicKeys(),
          NOW)).isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.what()).isEqualTo("audit head refused"));
      assertThatThrownBy(() -> copy.apply(page(chain), head(ring, "mship_00000000", chain.get(4)),
          ring.publicKeys(), NOW)).isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.why().orElseThrow())
          .isEqualTo("signed for mship_00000000, not mship_7fcd21a9"));
      assertThat(copy.status().entries()).isZero();
    }
  }

  @Test
  void aSignedHeadBelowOneSignedBefore_isReportedAsTruncation() throws Exception {
    try (AuditCopy copy = AuditCopy.open(temp.resolve("audit-copy.db"), ID)) {
      copy.apply(page(chain), head(ring, ID.value(), chain.get(4)), ring.publicKeys(), NOW);

      AuditCopy.Update u = copy.apply(page(List.of()), head(ring, ID.value(), chain.get(2)), ring.publicKeys(), NOW);

      assertThat(u.truncation()).hasValueSatisfying(t -> assertThat(t).startsWith("audit chain truncated: the"
          + " Mothership's audit log now ends at entry 3, but it signed entry 5 on ")
          .contains("this copy holds entries 4 to 5"));
      assertThat(copy.status().signedSeq()).isEqualTo(5);
    }
  }

  @Test
  void aHeadThatDisagreesWithTheCopy_isRefusedAsDiverged() throws Exception {
    try (AuditCopy copy = AuditCopy.open(temp.resolve("audit-copy.db"), ID)) {
      copy.apply(page(chain.subList(0, 3)), null, ring.publicKeys(), NOW);
      AuditEntry elsewhere = AuditEntry.chain(chain.get(1), AuditEvent.of(AuditEventType.KEY_ROTATION, NOW, "kid"));

      assertThatThrownBy(() -> copy.apply(page(List.of()), head(ring, ID.value(), elsewhere), ring.publicKeys(), NOW))
          .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.what()).isEqualTo("audit chain diverged"));
    }
  }
}
