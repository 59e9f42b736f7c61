package dev.aura.benchmarks;

import dev.aura.revocation.RevocationList;
import dev.aura.token.JoinTokenValidator;
import dev.aura.token.RevocationCheck;
import dev.aura.token.SigningAlgorithm;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.VerifiedJoinToken;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Validation of one join token, side by side: the raw signature check on the JDK, Aura's full validation
 * (with no revocation check, with a 1,000-jti {@code HashSet} stand-in, and with the real
 * {@code RevocationList} of 1,000,000 entries), and the same token validated by Nimbus, jjwt and jose4j. The
 * subclasses add the algorithm-specific cases: raw BouncyCastle verification (the floor of Aura's design)
 * and, where the library supports the algorithm, auth0 java-jwt.
 *
 * <p>Every library is checked once in {@link #setUp()} to accept the token and to refuse the same token
 * with a tampered signature, so no benchmark measures a failing or a no-op path.
 *
 * <p>Run with {@code java -jar aura-benchmarks/target/benchmarks.jar 'Verify'}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public abstract class VerifyBenchmark {
  TokenFixture fixture;
  String token;
  private JoinTokenValidator aura;
  private JoinTokenValidator auraWithRevocation;
  private JoinTokenValidator auraWithList;
  private RevocationList listOfValidator;
  private Signature jdk;
  private NimbusLibrary nimbus;
  private JjwtLibrary jjwt;
  private Jose4jLibrary jose4j;

  /** For JMH's generated subclasses. */
  protected VerifyBenchmark() {}

  abstract SigningAlgorithm algorithm();

  /** Sets up and sanity-checks the algorithm-specific cases. */
  abstract void setUpAlgorithm() throws Exception;

  /**
   * Builds the keys, the token and every library's verifier, and checks each accepts the token and refuses
   * a tampered one.
   *
   * @throws Exception if any library fails its check: the run stops rather than measure a failing path
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    fixture = TokenFixture.create(algorithm());
    token = fixture.token;
    aura = fixture.validator(RevocationCheck.none());
    HashSetRevocationCheck revoked = HashSetRevocationCheck.withRandomJtis(1_000);
    auraWithRevocation = fixture.validator(revoked);
    jdk = Signature.getInstance(jdkSignatureName(algorithm()));
    jdk.initVerify(fixture.jdkPublicKey);
    nimbus = NimbusLibrary.asShipped(fixture);
    jjwt = new JjwtLibrary(fixture);
    jose4j = new Jose4jLibrary(fixture);

    check("Aura", () -> aura.verify(token), () -> aura.verify(fixture.tampered));
    check("Aura with a revocation list", () -> auraWithRevocation.verify(token),
        () -> auraWithRevocation.verify(fixture.tampered));
    if (revoked.contains(aura.verify(token).jti())) {
      throw new IllegalStateException("the benchmark token's jti is in the revocation list");
    }
    check("the JDK's " + jdk.getAlgorithm(), this::rawJdkVerify, () -> jdkVerify(tamperedSignature()));
    check("Nimbus", () -> nimbus.verify(token), () -> nimbus.verify(fixture.tampered));
    check("jjwt", () -> jjwt.verify(token), () -> jjwt.verify(fixture.tampered));
    check("jose4j", () -> jose4j.verify(token), () -> jose4j.verify(fixture.tampered));
    setUpAlgorithm();
  }

  static String jdkSignatureName(SigningAlgorithm algorithm) {
    return algorithm == SigningAlgorithm.EDDSA ? "Ed25519" : "SHA256withECDSAinP1363Format";
  }

  static void check(String what, java.util.concurrent.Callable<?> accepts,
      java.util.concurrent.Callable<?> refusesTampered) {
    Sanity.mustAccept(what, accepts);
    Sanity.mustRefuse(what, refusesTampered);
  }

  /** The signature of the token with its first byte changed. */
  byte[] tamperedSignature() {
    byte[] bad = fixture.signature.clone();
    bad[0] ^= 0x01;
    return bad;
  }

  private boolean jdkVerify(byte[] signature) throws GeneralSecurityException {
    jdk.update(fixture.signingInput);
    return jdk.verify(signature);
  }

  /**
   * The JDK's signature check alone (SunEC), on the token's signing input; the instance is initialised once.
   *
   * @return whether the signature verifies
   * @throws GeneralSecurityException never for this fixture
   */
  @Benchmark
  public boolean rawJdkVerify() throws GeneralSecurityException {
    return jdkVerify(fixture.signature);
  }

  /**
   * Aura's full validation ({@code JoinTokenValidator.verify}): strict pre-parse, key and algorithm binding,
   * signature, {@code typ}, strict claims, fingerprint, role; no revocation list.
   *
   * @return the verified token
   * @throws TokenRejectedException never for this fixture
   */
  @Benchmark
  public VerifiedJoinToken auraVerify() throws TokenRejectedException {
    return aura.verify(token);
  }

  /**
   * As {@link #auraVerify()}, consulting a {@code HashSet}-backed revocation check of 1,000 revoked jtis.
   *
   * @return the verified token
   * @throws TokenRejectedException never for this fixture
   */
  @Benchmark
  public VerifiedJoinToken auraVerifyRevocation1k() throws TokenRejectedException {
    return auraWithRevocation.verify(token);
  }

  /**
   * As {@link #auraVerify()}, consulting the real {@code RevocationList} of {@code aura-revocation} holding
   * {@code entries} revocations (1,000,000 by default: 900,000 jtis, 90,000 peer ids, 10,000 subjects); the
   * token's jti and subject are not among them, so the list does a jti and a subject lookup.
   *
   * @param revocations the list, built once per trial
   * @return the verified token
   * @throws TokenRejectedException never for this fixture
   */
  @Benchmark
  public VerifiedJoinToken auraVerifyRevocationList(LargeRevocationList revocations) throws TokenRejectedException {
    if (listOfValidator != revocations.fixture.list) {
      // Once per trial: no JMH setup sees both this state and the list's, so the validator is made here.
      auraWithList = withList(revocations.fixture);
      listOfValidator = revocations.fixture.list;
    }
    return auraWithList.verify(token);
  }

  /** A validator on the list, checked to accept the token (so neither its jti nor its subject is revoked). */
  private JoinTokenValidator withList(RevocationListFixture revocations) {
    JoinTokenValidator validator = fixture.validator(revocations.list);
    check("Aura with the revocation list", () -> validator.verify(token), () -> validator.verify(fixture.tampered));
    return validator;
  }

  /** The revocation list of {@link #auraVerifyRevocationList}, built only for that benchmark. */
  @State(Scope.Thread)
  public static class LargeRevocationList {
    /** Revocations in force. */
    @Param("1000000")
    public int entries;

    RevocationListFixture fixture;

    /** For JMH. */
    public LargeRevocationList() {}

    /** Builds the list. */
    @Setup(Level.Trial)
    public void build() {
      fixture = RevocationListFixture.build(entries, List.of());
    }
  }

  /**
   * Nimbus as it ships: {@code SignedJWT.parse}, its own verifier, {@code DefaultJWTClaimsVerifier}.
   *
   * @return the claims
   * @throws Exception never for this fixture
   */
  @Benchmark
  public Object nimbusVerify() throws Exception {
    return nimbus.verify(token);
  }

  /**
   * jjwt: {@code parseSignedClaims} with issuer and audience required.
   *
   * @return the parsed token
   */
  @Benchmark
  public Object jjwtVerify() {
    return jjwt.verify(token);
  }

  /**
   * jose4j: {@code JwtConsumer.processToClaims}.
   *
   * @return the claims
   * @throws Exception never for this fixture
   */
  @Benchmark
  public Object jose4jVerify() throws Exception {
    return jose4j.verify(token);
  }
}
