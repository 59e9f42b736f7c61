package dev.aura.testkit;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.MothershipId;
import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import dev.aura.spi.StoreException;
import dev.aura.token.IssuedJoinToken;
import dev.aura.token.JoinTokenIssuer;
import dev.aura.token.JoinTokenRequest;
import dev.aura.token.JoinTokenValidator;
import dev.aura.token.IssuedPeerIdentity;
import dev.aura.token.KeyRing;
import dev.aura.token.PeerIdentityIssuer;
import dev.aura.token.PeerIdentityVerifier;
import dev.aura.token.SigningAlgorithm;
import dev.aura.token.TokenIssuanceException;
import dev.aura.token.TokenType;
import dev.aura.token.TypedJws;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Mothership's token side in one line, on in-memory stores and a manual clock, for unit-testing a
 * security policy.
 *
 * <pre>{@code
 * JoinTokenKit kit = JoinTokenKit.create();
 * String token = kit.validToken();
 * assertThat(kit.validator().tryAdmit(token)).isAccepted();
 * assertThat(kit.validator().tryAdmit(token)).isRejectedWith(RejectionReason.ALREADY_USED);
 * assertThat(kit.validator().tryVerify(kit.token(Breakage.EXPIRED))).isRejectedWith(RejectionReason.EXPIRED);
 * kit.clock().advance(Duration.ofHours(25));
 * }</pre>
 *
 * <p>The validator permits every role and has no revocation list; build your own with
 * {@link #validatorBuilder()} to test a different policy.
 *
 * <p>Peer identities for direct connections, signed by the same ring:
 *
 * <pre>{@code
 * IssuedPeerIdentity alice = kit.peerIdentity(PeerId.parse("peer_0a1b2c3d"), "alice@example.com",
 *     Role.MEMBER, Set.of(), aliceCertificateFingerprint);
 * PeerIdentityVerifier verifier = kit.peerIdentityVerifierBuilder().ownWorkspaces(Set::of)
 *     .withoutRevocationCheck().build();
 * verifier.verify(alice.compact(), aliceCertificateFingerprint);
 * }</pre>
 */
public final class JoinTokenKit {
  /** The instant every kit's clock starts at. */
  public static final Instant START = Instant.parse("2026-04-21T09:00:00Z");
  /** The kit's Mothership id. */
  public static final MothershipId MOTHERSHIP = MothershipId.parse("mship_7fcd21a9");

  private final ManualClock clock = new ManualClock(START);
  private final InMemoryStores stores = InMemoryStores.create();
  private final Fingerprint fingerprint;
  private final KeyRing keyRing;
  private final JoinTokenIssuer issuer;
  private final JoinTokenValidator validator;
  private final PeerIdentityIssuer peerIdentityIssuer;

  /** How often the kit's peers refresh: the lifetime of the peer identities it signs. */
  public static final Duration PEER_REFRESH_PERIOD = Duration.ofHours(1);

  private JoinTokenKit(SigningAlgorithm algorithm) {
    byte[] certificate = ("kit certificate " + algorithm).getBytes(StandardCharsets.UTF_8);
    this.fingerprint = Fingerprint.ofCertificate(certificate);
    try {
      this.keyRing = KeyRing.builder().store(stores.signingKeyStore()).clock(clock).algorithm(algorithm).open();
    } catch (StoreException e) {
      throw new IllegalStateException("in-memory stores do not fail", e);
    }
    this.issuer = JoinTokenIssuer.builder().mothershipId(MOTHERSHIP).keyRing(keyRing)
        .ledger(stores.tokenLedger()).clock(clock).fingerprint(() -> fingerprint).build();
    this.validator = validatorBuilder().build();
    this.peerIdentityIssuer = PeerIdentityIssuer.builder().mothershipId(MOTHERSHIP).keyRing(keyRing).clock(clock)
        .refreshPeriod(PEER_REFRESH_PERIOD).build();
  }

  /** A kit signing with Ed25519. */
  public static JoinTokenKit create() {
    return new JoinTokenKit(SigningAlgorithm.EDDSA);
  }

  /** A kit signing with the given algorithm (EdDSA or ES256). */
  public static JoinTokenKit create(SigningAlgorithm algorithm) {
    if (algorithm == SigningAlgorithm.RS256) {
      throw new IllegalArgumentException("the kit covers EdDSA and ES256");
    }
    return new JoinTokenKit(algorithm);
  }

  /** @return the manual clock everything here reads */
  public ManualClock clock() {
    return clock;
  }

  /** @return the in-memory stores */
  public InMemoryStores stores() {
    return stores;
  }

  /** @return the key ring */
  public KeyRing keyRing() {
    return keyRing;
  }

  /** @return the issuer */
  public JoinTokenIssuer issuer() {
    return issuer;
  }

  /** @return a validator permitting every role, without revocation, consuming in the kit's ledger */
  public JoinTokenValidator validator() {
    return validator;
  }

  /** @return the fingerprint the kit's Mothership presents */
  public Fingerprint fingerprint() {
    return fingerprint;
  }

  /** @return a validator builder preconfigured with the kit's id, keys, clock, fingerprint and ledger */
  public JoinTokenValidator.Builder validatorBuilder() {
    return JoinTokenValidator.builder().mothershipId(MOTHERSHIP).keys(keyRing::publicKeys).clock(clock)
        .acceptedFingerprints(() -> Set.of(fingerprint)).permitRoles(Role.MEMBER, Role.ADMIN, Role.READ_ONLY)
        .withoutRevocationCheck().ledger(stores.tokenLedger());
  }

  /** @return the issuer of peer identities, valid {@link #PEER_REFRESH_PERIOD} */
  public PeerIdentityIssuer peerIdentityIssuer() {
    return peerIdentityIssuer;
  }

  /** Signs a peer identity that joined at the clock's now, bound to {@code key}. */
  public IssuedPeerIdentity peerIdentity(PeerId peer, String subject, Role role, Set<WorkspaceName> workspaces,
      Fingerprint key) {
    return peerIdentityIssuer.issue(peer, subject, role, clock.instant(), workspaces, key);
  }

  /**
   * @return a verifier builder preconfigured with the kit's Mothership id, keys and clock; set
   *     {@code ownWorkspaces} and the revocation decision
   */
  public PeerIdentityVerifier.Builder peerIdentityVerifierBuilder() {
    return PeerIdentityVerifier.builder().mothershipId(MOTHERSHIP).keys(keyRing::publicKeys).clock(clock);
  }

  /** Signs arbitrary claims as a peer identity with the kit's primary key, for hand-made breakages. */
  public String signPeerIdentity(Map<String, ?> claims) {
    return TypedJws.sign(keyRing, TokenType.PEER_IDENTITY, claims);
  }

  /** Issues (and records) a one-shot member token for {@code alice@example.com}, valid 24h. */
  public String validToken() {
    return issue(JoinTokenRequest.forSubject("alice@example.com").build()).token();
  }

  /** Issues (and records) a token. */
  public IssuedJoinToken issue(JoinTokenRequest request) {
    try {
      return issuer.issue(request);
    } catch (TokenIssuanceException | StoreException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** @return the claims of a valid token at the clock's now, in issuance order, for tests to modify */
  public Map<String, Object> validClaims() {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", MOTHERSHIP.value());
    claims.put("sub", "mallory@example.com");
    claims.put("aud", "aura-peer");
    claims.put("iat", now);
    claims.put("exp", now + 3600);
    claims.put("jti", "jt_01HYXT8K3PQ7V2M4N6R8S0T1W3");
    claims.put("role", "member");
    claims.put("one_shot", true);
    claims.put("tls_fingerprint", fingerprint.toString());
    return claims;
  }

  /** Signs arbitrary claims as a join token with the kit's primary key (not recorded in the ledger). */
  public String sign(Map<String, ?> claims) {
    return TypedJws.sign(keyRing, TokenType.JOIN, claims);
  }

  /** @return a token broken in the named way; see {@link Breakage#expectedReason()} */
  public String token(Breakage breakage) {
    Map<String, Object> claims = validClaims();
    long now = clock.instant().getEpochSecond();
    String valid = validToken();
    String[] parts = valid.split("\\.");
    switch (breakage) {
      case EXPIRED -> {
        claims.put("iat", now - 7200);
        claims.put("exp", now - 3600);
        return sign(claims);
      }
      case ISSUED_IN_THE_FUTURE -> {
        claims.put("iat", now + 600);
        claims.put("exp", now + 4200);
        return sign(claims);
      }
      case WRONG_AUDIENCE -> {
        claims.put("aud", "someone-else");
        return sign(claims);
      }
      case WRONG_ISSUER -> {
        claims.put("iss", "mship_00000000");
        return sign(claims);
      }
      case WRONG_FINGERPRINT -> {
        claims.put("tls_fingerprint", Fingerprint.ofCertificate(new byte[] {0}).toString());
        return sign(claims);
      }
      case LIFETIME_TOO_LONG -> {
        claims.put("exp", now + Duration.ofDays(30).toSeconds());
        return sign(claims);
      }
      case MISSING_EXP -> {
        claims.remove("exp");
        return sign(claims);
      }
      case DUPLICATE_CLAIM -> {
        String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String doubled = json.substring(0, json.length() - 1) + ",\"role\":\"admin\"}";
        return keyRing.sign(TokenType.JOIN, doubled.getBytes(StandardCharsets.UTF_8));
      }
      case TAMPERED_PAYLOAD -> {
        String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"member\"", "\"admin\"");
        return parts[0] + "." + b64(json.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
      }
      case TAMPERED_SIGNATURE -> {
        byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
        sig[sig.length / 2] ^= 1;
        return parts[0] + "." + parts[1] + "." + b64(sig);
      }
      case SIGNATURE_ONE_BYTE_LONG -> {
        byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
        return parts[0] + "." + parts[1] + "." + b64(java.util.Arrays.copyOf(sig, sig.length + 1));
      }
      case ALG_NONE -> {
        String header = "{\"alg\":\"none\",\"typ\":\"aura-join+jwt\",\"kid\":\"" + keyRing.primaryKid() + "\"}";
        return b64(header.getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
      }
      case ALG_HS256 -> {
        String header = "{\"alg\":\"HS256\",\"typ\":\"aura-join+jwt\",\"kid\":\"" + keyRing.primaryKid() + "\"}";
        String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + parts[1];
        return input + "." + b64(hmac(keyRing.publicKeys().toJwkSetJson(), input));
      }
      case SIGNED_BY_ANOTHER_MOTHERSHIP -> {
        return new JoinTokenKit(SigningAlgorithm.EDDSA).sign(claims);
      }
      case WRONG_TYPE -> {
        return TypedJws.sign(keyRing, TokenType.REFRESH, claims);
      }
      case PADDED_BASE64 -> {
        return valid + "==";
      }
      case EXTRA_SEGMENT -> {
        return valid + "." + parts[2];
      }
      case OVERSIZED -> {
        claims.put("padding", "x".repeat(9000));
        return sign(claims);
      }
      case JKU_HEADER -> {
        String header = "{\"alg\":\"" + keyRing.primaryAlgorithm().jwsName() + "\",\"typ\":\"aura-join+jwt\","
            + "\"kid\":\"" + keyRing.primaryKid() + "\",\"jku\":\"https://127.0.0.1:1/keys\"}";
        return b64(header.getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2];
      }
      default -> throw new IllegalArgumentException("unknown breakage " + breakage);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] hmac(String key, String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
