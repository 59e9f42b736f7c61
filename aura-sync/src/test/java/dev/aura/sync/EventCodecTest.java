package dev.aura.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecTest {
  private static final Instant AT = Instant.parse("2026-12-01T09:45:12Z");
  private static final PeerId ALICE = PeerId.parse("peer_0a1b2c3d");
  private static final ContentHash HASH = ContentHash.of("hello\n".getBytes());

  private static SyncEvent event(Change change, SyncEvent.Outcome outcome, SyncPath conflictOf) {
    return new SyncEvent(WorkspaceName.parse("widget"), 42, new EventId(ALICE, 17), change, outcome, conflictOf,
        AT.plusSeconds(1));
  }

  @Test
  void everyKindOfEvent_roundTrips() {
    SyncPath notes = SyncPath.parse("docs/notes.txt");
    Change file = Change.putFile(notes, HASH, 6, true, 41, AT);
    Change link = Change.putSymlink(SyncPath.parse("docs/current"), "../releases/1.2", 0, AT);
    Change delete = Change.delete(notes, Change.EntryKind.FILE, 41, AT);
    SyncPath copy = ConflictRule.copyName(notes, ALICE, file);

    for (SyncEvent e : new SyncEvent[] {event(file, SyncEvent.Outcome.APPLIED, null),
        event(link, SyncEvent.Outcome.APPLIED, null), event(delete, SyncEvent.Outcome.SUPERSEDED, null),
        event(file.at(copy), SyncEvent.Outcome.CONFLICT_COPY, notes)}) {
      assertThat(EventCodec.readEvent(EventCodec.write(e))).isEqualTo(e);
    }
    EventCodec.Submitted s = EventCodec.readSubmitted(EventCodec.writeSubmitted(new EventId(ALICE, 3), file));
    assertThat(s.id()).isEqualTo(new EventId(ALICE, 3));
    assertThat(s.change()).isEqualTo(file);
  }

  @Test
  void theWireForm_isTheDocumentedOne() {
    ObjectNode json = EventCodec.write(event(Change.putFile(SyncPath.parse("a.txt"), HASH, 6, false, 0, AT),
        SyncEvent.Outcome.APPLIED, null));
    assertThat(json.toString()).isEqualTo("{\"workspace\":\"widget\",\"seq\":42,\"id\":\"peer_0a1b2c3d.17\","
        + "\"change\":{\"op\":\"put\",\"path\":\"a.txt\",\"kind\":\"file\",\"hash\":\"" + HASH.hex() + "\","
        + "\"size\":6,\"executable\":false,\"target\":null,\"based_on\":0,\"authored_at\":\"2026-12-01T09:45:12Z\"},"
        + "\"outcome\":\"applied\",\"conflict_of\":null,\"persisted_at\":\"2026-12-01T09:45:13Z\"}");
  }

  private static ObjectNode change() {
    return EventCodec.write(Change.putFile(SyncPath.parse("a.txt"), HASH, 6, false, 0, AT));
  }

  @Test
  void anUnknownOrMissingField_isRefused_namingIt() {
    ObjectNode extra = change().put("owner", "root");
    assertThatThrownBy(() -> EventCodec.readChange(extra)).hasMessage("invalid change: unknown field 'owner'");
    ObjectNode missing = change();
    missing.remove("size");
    assertThatThrownBy(() -> EventCodec.readChange(missing)).hasMessage("invalid event field 'size': missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../etc/passwd", "/etc/passwd", "a//b", "a/./b", "a\\b", "a\u0000b", "a\nb", "", "x/.."})
  void aPathThatCouldEscapeOrIsNotCanonical_isRefused(String path) {
    ObjectNode bad = change().put("path", path);
    assertThatThrownBy(() -> EventCodec.readChange(bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid event field 'path': invalid path: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("passwd"));
  }

  @Test
  void wrongTypesAndValues_areRefused_withoutEchoingTheInput() {
    assertThatThrownBy(() -> EventCodec.readChange(change().put("size", -1)))
        .hasMessage("invalid event field 'size': expected a non-negative integer");
    assertThatThrownBy(() -> EventCodec.readChange(change().put("size", "6")))
        .hasMessage("invalid event field 'size': expected a non-negative integer");
    assertThatThrownBy(() -> EventCodec.readChange(change().put("op", "chmod")))
        .hasMessage("invalid event field 'op': unknown value 'chmod'");
    assertThatThrownBy(() -> EventCodec.readChange(change().put("hash", "ABC")))
        .hasMessageStartingWith("invalid event field 'hash': ");
    assertThatThrownBy(() -> EventCodec.readChange(change().put("authored_at", "yesterday")))
        .hasMessage("invalid event field 'authored_at': expected an ISO-8601 instant");
    assertThatThrownBy(() -> EventCodec.readChange(change().put("executable", "yes")))
        .hasMessage("invalid event field 'executable': expected true or false");
    assertThatThrownBy(() -> EventCodec.readChange(change().putNull("hash")))
        .hasMessageStartingWith("invalid change: a file put needs a hash");
    assertThatThrownBy(() -> EventCodec.readChange(new ObjectMapper().createArrayNode()))
        .hasMessage("invalid change: expected a JSON object");
  }

  @Test
  void anEventIdMustBeCanonical() {
    for (String bad : new String[] {"peer_0a1b2c3d", "peer_0a1b2c3d.0", "peer_0a1b2c3d.01", "peer_0a1b2c3d.-1",
        "peer_0A1b2c3d.1", "alice.1", "peer_0a1b2c3d.1.2"}) {
      assertThatThrownBy(() -> EventId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(EventId.parse("peer_0a1b2c3d.17")).isEqualTo(new EventId(ALICE, 17));
  }
}
