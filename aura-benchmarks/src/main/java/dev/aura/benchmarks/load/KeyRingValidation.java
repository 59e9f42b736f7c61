package dev.aura.benchmarks.load;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.MothershipId;
import dev.aura.spi.Role;
import dev.aura.spi.StoreException;
import dev.aura.testkit.InMemorySigningKeyStore;
import dev.aura.testkit.InMemoryTokenLedger;
import dev.aura.testkit.ManualClock;
import dev.aura.token.JoinTokenIssuer;
import dev.aura.token.JoinTokenRequest;
import dev.aura.token.JoinTokenValidator;
import dev.aura.token.KeyRing;
import dev.aura.token.SigningAlgorithm;
import dev.aura.token.TokenIssuanceException;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.VerifiedJoinToken;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Key-ring size effect: {@code JoinTokenValidator.verify} (no revocation check) with {@code ringSize} = 1, 2
 * or 5 Ed25519 keys in the ring, for a token signed by the newest (primary) key and one signed by the oldest
 * key, still verifying within its rotation grace (24 h). The ring is rotated {@code ringSize - 1} times on a
 * manual clock; both tokens are checked in {@link #setUp()} to verify, and to carry the expected {@code kid}.
 *
 * <p>Run with {@code java -jar aura-benchmarks/target/benchmarks.jar KeyRingValidation}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class KeyRingValidation {
  private static final MothershipId MOTHERSHIP = MothershipId.parse("mship_7fcd21a9");
  private static final Fingerprint FINGERPRINT = Fingerprint.ofDigest(new byte[32]);

  /** How many keys the ring holds: the primary and {@code ringSize - 1} retired ones in their grace. */
  @Param({"1", "2", "5"})
  public int ringSize;

  private JoinTokenValidator validator;
  private String newest;
  private String oldest;

  /** For JMH's generated subclasses. */
  public KeyRingValidation() {}

  /** Builds the ring, issues the two tokens and checks that both verify. */
  @Setup
  public void setUp() throws StoreException, TokenIssuanceException, TokenRejectedException {
    ManualClock clock = ManualClock.startingAt(Instant.parse("2026-11-27T12:00:00Z"));
    KeyRing ring = KeyRing.builder().store(new InMemorySigningKeyStore()).clock(clock)
        .algorithm(SigningAlgorithm.EDDSA).rotationGrace(Duration.ofHours(24)).open();
    JoinTokenIssuer issuer = JoinTokenIssuer.builder().mothershipId(MOTHERSHIP).keyRing(ring)
        .ledger(new InMemoryTokenLedger()).clock(clock).fingerprint(() -> FINGERPRINT).build();
    String oldestKid = ring.primaryKid();
    oldest = issuer.issue(JoinTokenRequest.forSubject("alice@acme.com").role(Role.MEMBER).build()).token();
    for (int i = 1; i < ringSize; i++) {
      clock.advance(Duration.ofMinutes(1));
      ring.rotate();
    }
    newest = issuer.issue(JoinTokenRequest.forSubject("alice@acme.com").role(Role.MEMBER).build()).token();
    validator = JoinTokenValidator.builder().mothershipId(MOTHERSHIP).keys(ring::publicKeys).clock(clock)
        .acceptedFingerprints(() -> Set.of(FINGERPRINT)).permitRoles(Role.MEMBER).withoutRevocationCheck()
        .build();
    if (ring.describe().size() != ringSize) {
      throw new IllegalStateException("ring holds " + ring.describe().size() + " keys, expected " + ringSize);
    }
    if (!validator.verify(oldest).kid().equals(oldestKid)
        || !validator.verify(newest).kid().equals(ring.primaryKid())) {
      throw new IllegalStateException("the tokens are not signed by the oldest and the newest key");
    }
  }

  /**
   * Validates the token signed by the newest (primary) key.
   *
   * @return the verified token
   * @throws TokenRejectedException never: checked in setup
   */
  @Benchmark
  public VerifiedJoinToken newestKey() throws TokenRejectedException {
    return validator.verify(newest);
  }

  /**
   * Validates the token signed by the oldest key, retired but in its grace.
   *
   * @return the verified token
   * @throws TokenRejectedException never: checked in setup
   */
  @Benchmark
  public VerifiedJoinToken oldestKey() throws TokenRejectedException {
    return validator.verify(oldest);
  }
}
