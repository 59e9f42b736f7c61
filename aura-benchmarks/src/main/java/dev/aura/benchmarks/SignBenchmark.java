package dev.aura.benchmarks;

import dev.aura.spi.StoreException;
import dev.aura.testkit.InMemoryTokenLedger;
import dev.aura.token.IssuedJoinToken;
import dev.aura.token.JoinTokenIssuer;
import dev.aura.token.JoinTokenRequest;
import dev.aura.token.JoinTokenValidator;
import dev.aura.token.RevocationCheck;
import dev.aura.token.SigningAlgorithm;
import dev.aura.token.TokenIssuanceException;
import dev.aura.token.TokenType;
import dev.aura.token.TypedJws;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issuance of a join token with the same claims, side by side: Aura's {@code JoinTokenIssuer.issue} (jti,
 * signature, token hash, ledger record in an in-memory ledger), Aura's signing alone
 * ({@code TypedJws.sign}), the raw JDK signature of the same signing input, and Nimbus, jjwt and jose4j
 * building and signing the same claims. The subclasses add raw BouncyCastle signing and, for ES256, auth0
 * java-jwt.
 *
 * <p>Every token a library signs here is checked once in {@link #setUp()} to pass Aura's own validator, so
 * the libraries provably sign the same claims under the same key.
 *
 * <p>Run with {@code java -jar aura-benchmarks/target/benchmarks.jar 'Sign'}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public abstract class SignBenchmark {
  TokenFixture fixture;
  JoinTokenValidator validator;
  private final JoinTokenRequest request = TokenFixture.request();
  private JoinTokenIssuer issuer;
  private Signature jdk;
  private NimbusLibrary nimbus;
  private JjwtLibrary jjwt;
  private Jose4jLibrary jose4j;

  /** For JMH's generated subclasses. */
  protected SignBenchmark() {}

  abstract SigningAlgorithm algorithm();

  /** Sets up and sanity-checks the algorithm-specific cases. */
  abstract void setUpAlgorithm() throws Exception;

  /**
   * Builds the keys and every library's signer, and checks each one's token passes Aura's validator.
   *
   * @throws Exception if any library fails its check
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    fixture = TokenFixture.create(algorithm());
    validator = fixture.validator(RevocationCheck.none());
    freshLedger();
    jdk = Signature.getInstance(VerifyBenchmark.jdkSignatureName(algorithm()));
    jdk.initSign(fixture.jdkPrivateKey);
    nimbus = NimbusLibrary.asShipped(fixture);
    jjwt = new JjwtLibrary(fixture);
    jose4j = new Jose4jLibrary(fixture);

    mustValidate("Aura's issuer", auraIssue().token());
    mustValidate("Aura's TypedJws.sign", auraSign());
    mustValidate("Nimbus", nimbusSign());
    mustValidate("jjwt", jjwtSign());
    mustValidate("jose4j", jose4jSign());
    Signature check = Signature.getInstance(jdk.getAlgorithm());
    check.initVerify(fixture.jdkPublicKey);
    check.update(fixture.signingInput);
    if (!check.verify(rawJdkSign())) {
      throw new IllegalStateException("the JDK's signature does not verify");
    }
    setUpAlgorithm();
  }

  /** Starts each iteration with an empty ledger, so the ledger's growth is not measured. */
  @Setup(Level.Iteration)
  public void freshLedger() {
    issuer = fixture.issuer(new InMemoryTokenLedger());
  }

  void mustValidate(String what, String token) {
    Sanity.mustAccept(what + "'s token validated by Aura", () -> validator.verify(token));
  }

  /**
   * Aura's full issuance: a fresh jti, the signature, the token's hash and its ledger record.
   *
   * @return the issued token
   * @throws StoreException never with the in-memory ledger
   * @throws TokenIssuanceException never for this request
   */
  @Benchmark
  public IssuedJoinToken auraIssue() throws StoreException, TokenIssuanceException {
    return issuer.issue(request);
  }

  /**
   * Aura's signing alone: the claims serialised and signed by the key ring, as the peer libraries do.
   *
   * @return the compact token
   */
  @Benchmark
  public String auraSign() {
    return TypedJws.sign(fixture.ring, TokenType.JOIN, fixture.claims(fixture.nowSeconds()));
  }

  /**
   * The JDK's signature alone over the token's signing input.
   *
   * @return the signature
   * @throws GeneralSecurityException never for this fixture
   */
  @Benchmark
  public byte[] rawJdkSign() throws GeneralSecurityException {
    jdk.update(fixture.signingInput);
    return jdk.sign();
  }

  /**
   * Nimbus as it ships: {@code JWTClaimsSet.Builder}, {@code SignedJWT.sign}, {@code serialize}.
   *
   * @return the compact token
   * @throws Exception never for this fixture
   */
  @Benchmark
  public String nimbusSign() throws Exception {
    return nimbus.sign(fixture.nowSeconds());
  }

  /**
   * jjwt: {@code Jwts.builder() ... signWith(privateKey).compact()}.
   *
   * @return the compact token
   */
  @Benchmark
  public String jjwtSign() {
    return jjwt.sign(fixture.nowSeconds());
  }

  /**
   * jose4j: {@code JwtClaims} and {@code JsonWebSignature.getCompactSerialization}.
   *
   * @return the compact token
   * @throws Exception never for this fixture
   */
  @Benchmark
  public String jose4jSign() throws Exception {
    return jose4j.sign(fixture.nowSeconds());
  }
}
