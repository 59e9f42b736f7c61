package dev.aura.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerRecordTest {
  private static final Instant T0 = Instant.parse("2026-04-21T09:00:00Z");
  private static final WorkspaceName WIDGET = WorkspaceName.parse("widget");
  private static final WorkspaceName API = WorkspaceName.parse("api");

  private static PeerRecord peer() {
    return new PeerRecord(PeerId.parse("peer_0a1b2c3d"), "carol@contractor.com", Role.MEMBER,
        Jti.parse("jt_01HYXT8K3PQ7V2M4N6R8S0T1W3"), T0, T0, List.of("10.0.1.42:7000"));
  }

  @Test
  void sevenArgumentConstructor_allowsEveryWorkspace() {
    assertThat(peer().workspaces()).isEmpty();
    assertThat(peer().restrictedToWorkspaces()).isFalse();
  }

  @Test
  void withWorkspaces_restrictsAndIteratesInNameOrder_andEmptyLiftsTheRestriction() {
    PeerRecord restricted = peer().withWorkspaces(Set.of(WIDGET, API));

    assertThat(restricted.workspaces()).containsExactly(API, WIDGET);
    assertThat(restricted.restrictedToWorkspaces()).isTrue();
    assertThat(restricted.withWorkspaces(Set.of()).workspaces()).isEmpty();
    assertThat(restricted).isEqualTo(peer().withWorkspaces(Set.of(API, WIDGET)));
    assertThat(restricted).isNotEqualTo(peer());
  }

  @Test
  void seenAt_keepsTheWorkspaces() {
    PeerRecord seen = peer().withWorkspaces(Set.of(WIDGET)).seenAt(T0.plusSeconds(90));

    assertThat(seen.lastSeen()).isEqualTo(T0.plusSeconds(90));
    assertThat(seen.workspaces()).containsExactly(WIDGET);
  }

  @Test
  void workspaces_areCopied_immutable_andNeverNull() {
    Set<WorkspaceName> names = new HashSet<>(Set.of(WIDGET));
    PeerRecord restricted = peer().withWorkspaces(names);
    names.add(API);

    assertThat(restricted.workspaces()).containsExactly(WIDGET);
    assertThatThrownBy(() -> restricted.workspaces().add(API)).isInstanceOf(UnsupportedOperationException.class);
    assertThatNullPointerException().isThrownBy(() -> peer().withWorkspaces(null)).withMessage("workspaces");
  }
}
