package dev.aura.testkit;

import static dev.aura.testkit.contract.ContractFixtures.T0;
import static dev.aura.testkit.contract.ContractFixtures.credential;
import static dev.aura.testkit.contract.ContractFixtures.peerId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.aura.spi.RefreshCredentialRecord;
import dev.aura.spi.RefreshCredentialStore;
import dev.aura.testkit.contract.RefreshCredentialStoreContractTest;
import org.junit.jupiter.api.Test;

class InMemoryRefreshCredentialStoreTest extends RefreshCredentialStoreContractTest {
  @Override
  protected RefreshCredentialStore newStore() {
    return new InMemoryRefreshCredentialStore();
  }

  @Test
  void rotate_toACredentialOfAnotherPeer_isRefusedAsAProgrammerErrorAndChangesNothing() {
    InMemoryRefreshCredentialStore store = new InMemoryRefreshCredentialStore();
    RefreshCredentialRecord carol = credential(peerId(), T0);
    RefreshCredentialRecord mallory = credential(peerId(), T0.plusSeconds(1));
    store.issue(carol);

    assertThatIllegalArgumentException().isThrownBy(() -> store.rotate(carol.credentialId(), mallory))
        .withMessageContaining(carol.peer().value()).withMessageContaining(mallory.peer().value());

    assertThat(store.find(carol.credentialId())).contains(carol);
    assertThat(store.find(mallory.credentialId())).isEmpty();
  }
}
