package dev.aura.benchmarks;

import dev.aura.revocation.Revocation;
import dev.aura.revocation.RevocationList;
import dev.aura.spi.Jti;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationTarget;
import dev.aura.token.JoinTokenIssuer;
import dev.aura.token.JoinTokenRequest;
import dev.aura.token.JoinTokenValidator;
import dev.aura.token.RevocationCheck;
import dev.aura.token.SigningAlgorithm;
import dev.aura.token.VerifiedJoinToken;
import dev.aura.testkit.InMemoryTokenLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
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
 * Lookups in the real {@link RevocationList} of {@code aura-revocation}, at 1,000 and 1,000,000 revocations
 * in force (90% jtis, 9% peer ids, 1% subjects; see {@link RevocationListFixture}), as average time per
 * lookup. The issue's target: under 1 µs at 1,000,000 entries.
 *
 * <ul>
 *   <li>{@code find*}: the raw {@link RevocationList#find} of one target, a hit (revoked) or a miss, by jti,
 *       subject and peer id;
 *   <li>{@code revocationOf*}: {@link RevocationList#revocationOf(VerifiedJoinToken)} as the validator calls
 *       it on every join: a token whose jti is revoked, one whose subject is revoked (issued before the
 *       revocation), and a token that is neither (the path of every legitimate join: a jti lookup and a
 *       subject lookup);
 *   <li>{@code revocationOfPeer*}: {@link RevocationList#revocationOfPeer} as a refresh calls it: a revoked
 *       peer id, and a peer that is not revoked (peer id and subject lookups).
 * </ul>
 *
 * <p>A single key looked up again and again would stay in the L1 cache. Instead each invocation takes the
 * next of {@link #keys} (65,536) pre-built targets, drawn at random over the whole list (or, for the
 * {@code revocationOf} cases, of 256 verified tokens: each costs an issuance and a signature check to make).
 * At 1,000,000 entries (about 100 MB) the 65,536 targets touch about 20 MB, so most {@code find} lookups
 * miss the L1 and L2 caches. Every hit and miss is checked in {@link #setUp()}.
 *
 * <p>Run with {@code java -jar aura-benchmarks/target/benchmarks.jar RevocationLookup}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RevocationLookup {
  /** At most this many verified tokens per pool of the {@code revocationOf} cases. */
  static final int MAX_TOKENS = 256;

  /** Revocations in force. */
  @Param({"1000", "1000000"})
  public int entries;

  /**
   * Targets per pool, a power of two: 65,536 by default; {@code -p keys=1} measures a lookup whose data stays
   * in the L1 cache. The {@code revocationOf} pools hold {@code min(keys, 256)} tokens.
   */
  @Param("65536")
  public int keys;

  RevocationListFixture fixture;
  private RevocationList list;
  private RevocationTarget[] jtiHits;
  private RevocationTarget[] jtiMisses;
  private RevocationTarget[] subjectHits;
  private RevocationTarget[] subjectMisses;
  private RevocationTarget[] peerHits;
  private RevocationTarget[] peerMisses;
  private PeerId[] revokedPeers;
  private PeerId[] otherPeers;
  private String[] otherSubjects;
  private Instant joinedAt;
  private int keyMask;
  private int tokenMask;
  private VerifiedJoinToken[] revokedByJti;
  private VerifiedJoinToken[] revokedBySubject;
  private VerifiedJoinToken[] notRevoked;
  private int cursor;

  /** For JMH. */
  public RevocationLookup() {}

  /**
   * Issues and verifies the tokens, builds the list with the revoked ones in it, and draws the targets;
   * then checks that every hit is found and every miss is not.
   *
   * @throws Exception if a token cannot be issued or verified, or the list answers wrongly
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    if (keys < 1 || Integer.bitCount(keys) != 1) {
      throw new IllegalArgumentException("keys must be a power of two, got " + keys);
    }
    int tokenCount = Math.min(keys, MAX_TOKENS);
    keyMask = keys - 1;
    tokenMask = tokenCount - 1;
    TokenFixture tokens = TokenFixture.create(SigningAlgorithm.EDDSA);
    JoinTokenIssuer issuer = tokens.issuer(new InMemoryTokenLedger());
    JoinTokenValidator validator = tokens.validator(RevocationCheck.none());
    SplittableRandom random = new SplittableRandom(42);
    revokedByJti = new VerifiedJoinToken[tokenCount];
    revokedBySubject = new VerifiedJoinToken[tokenCount];
    notRevoked = new VerifiedJoinToken[tokenCount];
    List<Jti> revokedJtis = new ArrayList<>();
    for (int i = 0; i < tokenCount; i++) {
      revokedByJti[i] = verified(issuer, validator, RevocationListFixture.subject(-1 - i));
      revokedJtis.add(revokedByJti[i].jti());
      revokedBySubject[i] = verified(issuer, validator,
          RevocationListFixture.subject(random.nextInt(RevocationListFixture.subjectsIn(entries))));
      notRevoked[i] = verified(issuer, validator, RevocationListFixture.subject(-1 - tokenCount - i));
    }
    fixture = RevocationListFixture.build(entries, revokedJtis); // revoked now, after every token's iat
    list = fixture.list;
    joinedAt = fixture.revokedAt.minusSeconds(3600);
    jtiHits = new RevocationTarget[keys];
    jtiMisses = new RevocationTarget[keys];
    subjectHits = new RevocationTarget[keys];
    subjectMisses = new RevocationTarget[keys];
    peerHits = new RevocationTarget[keys];
    peerMisses = new RevocationTarget[keys];
    revokedPeers = new PeerId[keys];
    otherPeers = new PeerId[keys];
    otherSubjects = new String[keys];
    for (int i = 0; i < keys; i++) {
      jtiHits[i] = RevocationTarget.jti(RevocationListFixture.jti(random.nextInt(fixture.fillerJtis)));
      jtiMisses[i] = RevocationTarget.jti(RevocationListFixture.jti(-1 - random.nextInt(Integer.MAX_VALUE)));
      subjectHits[i] = RevocationTarget.subject(RevocationListFixture.subject(random.nextInt(fixture.subjects)));
      otherSubjects[i] = RevocationListFixture.subject(-1 - random.nextInt(Integer.MAX_VALUE));
      subjectMisses[i] = RevocationTarget.subject(otherSubjects[i]);
      revokedPeers[i] = RevocationListFixture.peer(random.nextInt(fixture.peers));
      peerHits[i] = RevocationTarget.peer(revokedPeers[i]);
      otherPeers[i] = RevocationListFixture.peer(-1 - random.nextInt(Integer.MAX_VALUE));
      peerMisses[i] = RevocationTarget.peer(otherPeers[i]);
    }
    checkAll();
  }

  private static VerifiedJoinToken verified(JoinTokenIssuer issuer, JoinTokenValidator validator,
      String subject) throws Exception {
    return validator.verify(issuer.issue(JoinTokenRequest.forSubject(subject).role(TokenFixture.ROLE).build())
        .token());
  }

  private void checkAll() {
    mustAll("a revoked jti", i -> list.find(jtiHits[i]).isPresent());
    mustAll("a jti not revoked", i -> list.find(jtiMisses[i]).isEmpty());
    mustAll("a revoked subject", i -> list.find(subjectHits[i]).isPresent());
    mustAll("a subject not revoked", i -> list.find(subjectMisses[i]).isEmpty());
    mustAll("a revoked peer", i -> list.find(peerHits[i]).isPresent()
        && list.revocationOfPeer(revokedPeers[i], otherSubjects[i], joinedAt).isPresent());
    mustAll("a peer not revoked", i -> list.find(peerMisses[i]).isEmpty()
        && list.revocationOfPeer(otherPeers[i], otherSubjects[i], joinedAt).isEmpty());
    mustAll("a token revoked by jti", i -> list.revocationOf(revokedByJti[i & tokenMask])
        .filter(m -> m.startsWith("token ")).isPresent());
    mustAll("a token revoked by subject", i -> list.revocationOf(revokedBySubject[i & tokenMask])
        .filter(m -> m.startsWith("subject ")).isPresent());
    mustAll("a token not revoked", i -> list.revocationOf(notRevoked[i & tokenMask]).isEmpty());
  }

  private void mustAll(String what, IntPredicate check) {
    for (int i = 0; i < keys; i++) {
      if (!check.test(i)) {
        throw new IllegalStateException("the revocation list answered wrongly for " + what + " (case " + i + ")");
      }
    }
  }

  private int nextKey() {
    return cursor = (cursor + 1) & keyMask;
  }

  private int nextToken() {
    return cursor = (cursor + 1) & tokenMask;
  }

  /** @return the revocation of a revoked jti */
  @Benchmark
  public Optional<Revocation> findJtiHit() {
    return list.find(jtiHits[nextKey()]);
  }

  /** @return empty: a jti not revoked */
  @Benchmark
  public Optional<Revocation> findJtiMiss() {
    return list.find(jtiMisses[nextKey()]);
  }

  /** @return the revocation of a revoked subject */
  @Benchmark
  public Optional<Revocation> findSubjectHit() {
    return list.find(subjectHits[nextKey()]);
  }

  /** @return empty: a subject not revoked */
  @Benchmark
  public Optional<Revocation> findSubjectMiss() {
    return list.find(subjectMisses[nextKey()]);
  }

  /** @return the revocation of a revoked peer id */
  @Benchmark
  public Optional<Revocation> findPeerHit() {
    return list.find(peerHits[nextKey()]);
  }

  /** @return empty: a peer id not revoked */
  @Benchmark
  public Optional<Revocation> findPeerMiss() {
    return list.find(peerMisses[nextKey()]);
  }

  /** @return the refusal of a verified token whose jti is revoked (the validator's call) */
  @Benchmark
  public Optional<String> revocationOfJtiHit() {
    return list.revocationOf(revokedByJti[nextToken()]);
  }

  /** @return the refusal of a verified token issued to a revoked subject before its revocation */
  @Benchmark
  public Optional<String> revocationOfSubjectHit() {
    return list.revocationOf(revokedBySubject[nextToken()]);
  }

  /** @return empty: a legitimate join, neither jti nor subject revoked (two lookups) */
  @Benchmark
  public Optional<String> revocationOfMiss() {
    return list.revocationOf(notRevoked[nextToken()]);
  }

  /** @return the refusal of a revoked peer's refresh */
  @Benchmark
  public Optional<String> revocationOfPeerHit() {
    int i = nextKey();
    return list.revocationOfPeer(revokedPeers[i], otherSubjects[i], joinedAt);
  }

  /** @return empty: a refresh by a peer whose id and subject are not revoked (two lookups) */
  @Benchmark
  public Optional<String> revocationOfPeerMiss() {
    int i = nextKey();
    return list.revocationOfPeer(otherPeers[i], otherSubjects[i], joinedAt);
  }
}
