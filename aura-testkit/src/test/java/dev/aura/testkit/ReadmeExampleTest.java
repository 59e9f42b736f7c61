package dev.aura.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.MothershipId;
import dev.aura.spi.Role;
import dev.aura.token.JoinTokenIssuer;
import dev.aura.token.JoinTokenRequest;
import dev.aura.token.JoinTokenValidator;
import dev.aura.token.KeyRing;
import dev.aura.token.RejectionReason;
import dev.aura.token.TokenDuration;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.VerifiedJoinToken;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The README's embedding example, verbatim between the markers, so the README cannot rot. */
class ReadmeExampleTest {
  @Test
  void readmeExample_runsAsWritten() throws Exception {
    Fingerprint certificate = Fingerprint.ofCertificate("the server's DER certificate".getBytes());
    // README-EXAMPLE-START
    InMemoryStores stores = InMemoryStores.create();          // or JdbcStores for SQLite/PostgreSQL
    KeyRing ring = KeyRing.builder().store(stores.signingKeyStore()).clock(Clock.systemUTC()).open();
    MothershipId id = MothershipId.parse("mship_7fcd21a9");

    JoinTokenIssuer issuer = JoinTokenIssuer.builder().mothershipId(id).keyRing(ring)
        .ledger(stores.tokenLedger()).clock(Clock.systemUTC()).fingerprint(() -> certificate).build();
    String token = issuer.issue(JoinTokenRequest.forSubject("carol@contractor.com")
        .role(Role.READ_ONLY).expiresIn(TokenDuration.parse("5d")).build()).token();

    JoinTokenValidator validator = JoinTokenValidator.builder()
        .mothershipId(id)
        .keys(ring::publicKeys)                               // follows rotate-key
        .clock(Clock.systemUTC())
        .acceptedFingerprints(() -> Set.of(certificate))      // current + certificates in grace
        .permitRoles(Role.MEMBER, Role.ADMIN, Role.READ_ONLY)
        .withoutRevocationCheck()                             // or .revocation(revocationList)
        .ledger(stores.tokenLedger())
        .build();

    VerifiedJoinToken joined = validator.admit(token);       // consumes the one use
    try {
      validator.admit(token);
    } catch (TokenRejectedException e) {
      System.out.println(e.reason().code() + ": " + e.getMessage());  // already_used: token already used: ...
    }
    // README-EXAMPLE-END
    assertThat(joined.subject()).isEqualTo("carol@contractor.com");
    assertThat(validator.tryAdmit(token).reason()).contains(RejectionReason.ALREADY_USED);
  }
}
