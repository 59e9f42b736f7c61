package dev.aura.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.spi.Jti;
import dev.aura.spi.PeerId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ContractFixturesTest {
  @Test
  void jti_isCanonicalAndUnique() {
    List<Jti> jtis = IntStream.range(0, 1000).mapToObj(i -> ContractFixtures.jti()).collect(Collectors.toList());

    assertThat(jtis).allSatisfy(jti -> {
      assertThat(Jti.parse(jti.value())).isEqualTo(jti);
      assertThat(jti.value()).matches("jt_[0-7][0-9A-HJKMNP-TV-Z]{25}");
    });
    assertThat(new HashSet<>(jtis)).hasSize(1000);
  }

  @Test
  void peerIdAndCredentialId_areCanonicalAndUnique() {
    Set<PeerId> peers = new HashSet<>();
    Set<String> credentials = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      peers.add(PeerId.parse(ContractFixtures.peerId().value()));
      credentials.add(ContractFixtures.credentialId());
    }

    assertThat(peers).hasSize(1000);
    assertThat(credentials).hasSize(1000);
  }

  @Test
  void signingKeys_holdOrLackAPrivatePartAsNamed() {
    assertThat(ContractFixtures.primaryKey("k", ContractFixtures.T0).privateJwkIfAny()).isPresent();
    assertThat(ContractFixtures.verifyOnlyKey("k", ContractFixtures.T0).privateJwkIfAny()).isEmpty();
  }
}
