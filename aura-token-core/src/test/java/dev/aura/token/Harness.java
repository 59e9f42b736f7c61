package dev.aura.token;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.MothershipId;
import dev.aura.spi.Role;
import dev.aura.token.internal.Base64Url;
import dev.aura.token.internal.JsonWriter;
import dev.aura.token.internal.JwsKey;
import dev.aura.token.internal.JwsKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A Mothership's token side on fakes: ring, issuer, validator, and a forge for hand-made tokens. */
final class Harness {
  static final Instant T0 = Instant.parse("2026-04-21T09:00:00Z");
  static final MothershipId MSHIP = MothershipId.parse("mship_7fcd21a9");
  static final Fingerprint FINGERPRINT = Fingerprint.ofDigest(new byte[32]);

  final MutableClock clock = new MutableClock(T0);
  final FakeStores.Keys keyStore = new FakeStores.Keys();
  final FakeStores.Ledger ledger = new FakeStores.Ledger();
  final KeyRing ring;
  final JoinTokenIssuer issuer;
  final JoinTokenValidator validator;

  private Harness(SigningAlgorithm algorithm) throws Exception {
    KeyRing.Builder b = KeyRing.builder().store(keyStore).clock(clock).algorithm(algorithm);
    if (algorithm == SigningAlgorithm.RS256) {
      b.allowRs256Legacy();
    }
    ring = b.open();
    issuer = JoinTokenIssuer.builder().mothershipId(MSHIP).keyRing(ring).ledger(ledger).clock(clock)
        .fingerprint(() -> FINGERPRINT).build();
    validator = validatorBuilder().build();
  }

  static Harness ed25519() throws Exception {
    return new Harness(SigningAlgorithm.EDDSA);
  }

  static Harness es256() throws Exception {
    return new Harness(SigningAlgorithm.ES256);
  }

  static Harness rs256() throws Exception {
    return new Harness(SigningAlgorithm.RS256);
  }

  JoinTokenValidator.Builder validatorBuilder() {
    return JoinTokenValidator.builder().mothershipId(MSHIP).keys(ring::publicKeys).clock(clock)
        .acceptedFingerprints(() -> Set.of(FINGERPRINT))
        .permitRoles(Role.MEMBER, Role.ADMIN, Role.READ_ONLY).withoutRevocationCheck().ledger(ledger);
  }

  IssuedJoinToken issue() throws Exception {
    return issuer.issue(JoinTokenRequest.forSubject("alice@acme.com").build());
  }

  /** Valid join-token claims at {@link #clock}'s now, in issuance order; modify before forging. */
  Map<String, Object> claims() {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iss", MSHIP.value());
    c.put("sub", "mallory@acme.com");
    c.put("aud", "aura-peer");
    c.put("iat", now);
    c.put("exp", now + 3600);
    c.put("jti", "jt_01HYXT8K3PQ7V2M4N6R8S0T1W3");
    c.put("role", "member");
    c.put("one_shot", true);
    c.put("tls_fingerprint", FINGERPRINT.toString());
    return c;
  }

  String header(String alg, String typ) {
    return "{\"alg\":\"" + alg + "\",\"typ\":\"" + typ + "\",\"kid\":\"" + ring.primaryKid() + "\"}";
  }

  String joinHeader() {
    return header(ring.primaryAlgorithm().jwsName(), TokenType.JOIN.typ());
  }

  /** Signs arbitrary header and payload text with the primary private key. */
  String forge(String headerJson, String payloadJson) {
    String input = b64(headerJson) + "." + b64(payloadJson);
    return input + "." + Base64Url.encode(primaryKey().sign(input.getBytes(StandardCharsets.US_ASCII)));
  }

  String forge(Map<String, Object> claims) {
    return forge(joinHeader(), new String(JsonWriter.write(claims), StandardCharsets.UTF_8));
  }

  JwsKey primaryKey() {
    String jwk = new String(ring.exportPrivateJwk(ring.primaryKid()).revealCopy(), StandardCharsets.UTF_8);
    return JwsKeys.fromJwk(ring.primaryAlgorithm().jwsName(), jwk);
  }

  static String b64(String text) {
    return Base64Url.encode(text.getBytes(StandardCharsets.UTF_8));
  }
}
