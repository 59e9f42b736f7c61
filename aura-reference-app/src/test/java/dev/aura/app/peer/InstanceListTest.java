package dev.aura.app.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.app.AuraException;
import dev.aura.app.config.AuraHome;
import dev.aura.app.protocol.Wire;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceListTest {
  private static final String WHERE = "in the refresh answer of 127.0.0.1:7777";

  @TempDir
  Path home;

  private static AuraException malformed(String answer) {
    try {
      InstanceList.announcedIn(Wire.parseObject(answer), WHERE);
    } catch (AuraException e) {
      return e;
    }
    throw new AssertionError("accepted " + answer);
  }

  @Test
  void announcedIn_anAnswerWithoutInstances_isEmpty() throws Exception {
    assertThat(InstanceList.announcedIn(Wire.parseObject("{\"peer_id\":\"x\"}"), WHERE)).isEmpty();
    assertThat(InstanceList.announcedIn(Wire.parseObject("{\"instances\":null}"), WHERE)).isEmpty();
  }

  @Test
  void announcedIn_readsUrlsInOrder_inCanonicalForm() throws Exception {
    assertThat(InstanceList.announcedIn(Wire.parseObject(
        "{\"instances\":[\"https://b.internal\",\"https://127.0.0.1:7801/\"]}"), WHERE))
        .containsExactly(URI.create("https://b.internal:7777"), URI.create("https://127.0.0.1:7801"));
  }

  @Test
  void announcedIn_notAnArray_isMalformed() {
    AuraException e = malformed("{\"instances\":\"https://a:7777\"}");
    assertThat(e.what()).isEqualTo("malformed instance list");
    assertThat(e.why().orElseThrow()).contains("'instances' " + WHERE + " must be an array of https URLs, got string");
  }

  @Test
  void announcedIn_aNumberEntry_isMalformedNamingTheEntry() {
    assertThat(malformed("{\"instances\":[\"https://a:7777\",42]}").why().orElseThrow()).contains("'instances' " + WHERE + ", entry 2: expected a string, got number");
  }

  @Test
  void announcedIn_anHttpUrl_isMalformed() {
    assertThat(malformed("{\"instances\":[\"http://a:7777\"]}").why().orElseThrow()).contains("'instances' " + WHERE
        + ", entry 1: expected a URL such as https://mothership.acme.internal:7777, got 'http://a:7777'");
  }

  @Test
  void announcedIn_notAUri_isMalformed() {
    assertThat(malformed("{\"instances\":[\"https://a b\"]}").what()).isEqualTo("malformed instance list");
  }

  @Test
  void announcedIn_tooManyUrls_isMalformed() {
    StringBuilder many = new StringBuilder("{\"instances\":[");
    for (int i = 0; i <= InstanceList.MAX_URLS; i++) {
      many.append(i == 0 ? "" : ",").append("\"https://a:").append(7000 + i).append('"');
    }
    assertThat(malformed(many + "]}").why().orElseThrow()).contains("holds 33 URLs, more than 32");
  }

  @Test
  void order_isAnnouncedThenTheJoinUrlsNotAmongThem() {
    URI a = URI.create("https://a:7777");
    URI b = URI.create("https://b:7777");
    URI lb = URI.create("https://lb:7777");
    assertThat(new InstanceList(List.of(lb, a), List.of(b, a)).order()).containsExactly(b, a, lb);
  }

  @Test
  void peerState_savesAndReadsTheList_owneronly() throws Exception {
    PeerState state = new PeerState(new AuraHome(home));
    InstanceList list = new InstanceList(List.of(URI.create("https://a:7777")),
        List.of(URI.create("https://b:7778"), URI.create("https://a:7777")));

    state.saveInstances(list);

    assertThat(state.instances()).isEqualTo(list);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(state.instancesFile()))).isEqualTo("rw-------");
  }

  @Test
  void peerState_withoutAFile_isAnEmptyList() throws Exception {
    assertThat(new PeerState(new AuraHome(home)).instances()).isEqualTo(new InstanceList(List.of(), List.of()));
  }

  @Test
  void peerState_aDamagedFile_isATypedError() throws Exception {
    PeerState state = new PeerState(new AuraHome(home));
    Files.writeString(state.instancesFile(), "{\"instances\": [42]}\n");

    assertThatThrownBy(state::instances).isInstanceOfSatisfying(AuraException.class, e -> {
      assertThat(e.what()).isEqualTo("cannot read " + state.instancesFile());
      assertThat(e.why().orElseThrow()).contains("malformed instance list: 'instances', entry 1: expected a string, got number;"
          + " the next refresh rewrites it, or rejoin with --url");
    });
  }

  @Test
  void peerState_aFileThatIsNotJson_isATypedError() throws Exception {
    PeerState state = new PeerState(new AuraHome(home));
    Files.writeString(state.instancesFile(), "[not json");

    assertThatThrownBy(state::instances).isInstanceOfSatisfying(AuraException.class,
        e -> assertThat(e.what()).isEqualTo("cannot read " + state.instancesFile()));
  }
}
