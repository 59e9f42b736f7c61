package dev.aura.app.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.app.protocol.Wire;
import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.PeerSyncStore;
import dev.aura.sync.Replica;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Findings of {@link SyncAgentFuzzTest}: messages from the Mothership that threw IllegalArgumentException. */
class SyncAgentTest {
  private static final PeerId ME = PeerId.parse("peer_0000000a");

  @TempDir Path temp;
  private PeerSyncStore store;
  private Replica replica;
  private SyncAgent agent;

  @BeforeEach
  void bind() throws Exception {
    store = PeerSyncStore.open(temp.resolve("home/sync.db"));
    replica = Replica.open(store, Files.createDirectories(temp.resolve("work")), WorkspaceName.parse("widget"), ME,
        1024 * 1024, Clock.systemUTC());
    agent = new SyncAgent(replica, new FixedContentTransport(new byte[0]), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    Files.writeString(replica.directory().resolve("a.txt"), "mine\n");
    agent.connected();
    agent.handle(Wire.parseObject("{\"type\":\"subscribed\",\"workspace\":\"widget\",\"head\":0,\"can_push\":true}"));
    agent.tick(true);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void pushedResultForAnotherPeersEvent_isIgnored_notAnIllegalArgument() throws Exception {
    assertThat(agent.handle(Wire.parseObject("{\"type\":\"pushed\",\"workspace\":\"widget\",\"results\":["
        + "{\"id\":\"peer_0000000b.1\",\"seq\":3,\"outcome\":\"applied\"},"
        + "{\"id\":\"peer_0000000b.2\",\"code\":\"role_not_permitted\",\"message\":\"x\"}]}"))).isTrue();
    assertThat(replica.pending(10)).hasSize(1);
    assertThat(replica.walStatus().refused()).isEmpty();
  }

  @Test
  void pushedResultWithANonPositiveSequence_leavesTheEventPending_notAnIllegalArgument() throws Exception {
    String id = replica.pending(1).get(0).id().toString();
    assertThat(agent.handle(Wire.parseObject("{\"type\":\"pushed\",\"workspace\":\"widget\",\"results\":["
        + "{\"id\":\"" + id + "\",\"seq\":-4}]}"))).isTrue();
    assertThat(replica.pending(10)).extracting(p -> p.id().toString()).containsExactly(id);
  }

  @Test
  void eventsPageThatSkipsSequences_isAnIOException_soTheLoopResubscribes() {
    String page = "{\"type\":\"events\",\"workspace\":\"widget\",\"events\":[{\"workspace\":\"widget\",\"seq\":7,"
        + "\"id\":\"peer_0000000b.2\",\"change\":{\"op\":\"delete\",\"path\":\"b.txt\",\"kind\":\"file\","
        + "\"hash\":null,\"size\":0,\"executable\":false,\"target\":null,\"based_on\":1,"
        + "\"authored_at\":\"2026-12-01T09:45:12Z\"},\"outcome\":\"applied\",\"conflict_of\":null,"
        + "\"persisted_at\":\"2026-12-01T09:45:13Z\"}]}";
    assertThatThrownBy(() -> agent.handle(Wire.parseObject(page))).isInstanceOf(IOException.class)
        .hasMessage("the Mothership sent an event out of order: event 7 does not follow the applied sequence 0:"
            + " apply the workspace's events in order, from 1");
  }
}
