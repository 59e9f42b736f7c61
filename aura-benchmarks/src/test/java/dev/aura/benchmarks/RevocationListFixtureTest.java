package dev.aura.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.Jti;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationTarget;
import dev.aura.token.RejectionReason;
import dev.aura.token.SigningAlgorithm;
import dev.aura.token.TokenRejectedException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The real revocation list the benchmarks measure: its size, its hits and misses, and its memory figure. */
class RevocationListFixtureTest {
  @Test
  void build_ofAThousand_holdsExactlyTheMixOfJtisPeersAndSubjects() {
    Jti token = RevocationListFixture.jti(-42);

    RevocationListFixture fixture = RevocationListFixture.build(1_000, List.of(token));

    assertThat(fixture.list.size()).isEqualTo(1_000);
    assertThat(fixture.fillerJtis).isEqualTo(899);
    assertThat(fixture.peers).isEqualTo(90);
    assertThat(fixture.subjects).isEqualTo(10);
    assertThat(fixture.list.find(RevocationTarget.jti(token))).isPresent();
  }

  @Test
  void build_revokesIndicesFromZero_andNeverANegativeIndex() {
    RevocationListFixture fixture = RevocationListFixture.build(1_000, List.of());

    assertThat(fixture.list.find(RevocationTarget.jti(RevocationListFixture.jti(899)))).isPresent();
    assertThat(fixture.list.find(RevocationTarget.jti(RevocationListFixture.jti(900)))).isEmpty();
    assertThat(fixture.list.find(RevocationTarget.jti(RevocationListFixture.jti(-1)))).isEmpty();
    assertThat(fixture.list.find(RevocationTarget.peer(RevocationListFixture.peer(89)))).isPresent();
    assertThat(fixture.list.find(RevocationTarget.peer(RevocationListFixture.peer(90)))).isEmpty();
    assertThat(fixture.list.find(RevocationTarget.peer(RevocationListFixture.peer(-1)))).isEmpty();
    assertThat(fixture.list.find(RevocationTarget.subject(RevocationListFixture.subject(9)))).isPresent();
    assertThat(fixture.list.find(RevocationTarget.subject(RevocationListFixture.subject(10)))).isEmpty();
    assertThat(fixture.list.find(RevocationTarget.subject(RevocationListFixture.subject(-1)))).isEmpty();
  }

  @Test
  void generatedIds_areDistinctPerIndex_andCanonical() {
    Set<Jti> jtis = new HashSet<>();
    Set<PeerId> peers = new HashSet<>();
    IntStream.range(-5_000, 5_000).forEach(i -> {
      jtis.add(RevocationListFixture.jti(i));
      peers.add(RevocationListFixture.peer(i));
    });

    assertThat(jtis).hasSize(10_000);
    assertThat(peers).hasSize(10_000);
    assertThat(Jti.parse(RevocationListFixture.jti(Long.MIN_VALUE).value())).isNotNull();
    assertThat(RevocationListFixture.peer(Integer.MIN_VALUE).value()).matches("peer_[0-9a-f]{8}");
  }

  @Test
  void validatorWithTheList_refusesTheBenchmarkTokenOnlyWhenItsJtiIsRevoked() throws Exception {
    TokenFixture token = TokenFixture.create(SigningAlgorithm.EDDSA);
    RevocationListFixture without = RevocationListFixture.build(1_000, List.of());
    RevocationListFixture with = RevocationListFixture.build(1_000, List.of(new Jti(token.jti)));

    assertThat(token.validator(without.list).verify(token.token).jti().value()).isEqualTo(token.jti);
    assertThatThrownBy(() -> token.validator(with.list).verify(token.token))
        .isInstanceOfSatisfying(TokenRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectionReason.REVOKED));
  }

  @Test
  void build_withMoreTokenJtisThanTheListHolds_isRefused() {
    List<Jti> tooMany = IntStream.range(0, 901).mapToObj(i -> RevocationListFixture.jti(-1 - i)).toList();

    assertThatThrownBy(() -> RevocationListFixture.build(1_000, tooMany))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a list of 1000 entries cannot hold 901 token jtis and at least one subject");
  }

  @Test
  void memory_ofAHundredThousandEntries_isMeasuredEveryRoundAsAPlausibleSizePerEntry() throws Exception {
    List<RevocationListMemory.Sample> samples = RevocationListMemory.measure(100_000, 2);

    assertThat(samples).hasSize(2).allSatisfy(s -> {
      assertThat(s.entries()).isEqualTo(100_000);
      // A ConcurrentHashMap node alone is 32 bytes; 1 KB per entry would mean the store leaked into the list.
      assertThat(s.bytesPerEntry()).isBetween(32.0, 1_000.0);
    });
    assertThat(RevocationListMemory.median(samples)).isIn(samples);
  }
}
