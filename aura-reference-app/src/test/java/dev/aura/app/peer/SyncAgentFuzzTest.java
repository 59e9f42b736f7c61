package dev.aura.app.peer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.PeerSyncStore;
import dev.aura.sync.Replica;
import dev.aura.sync.SyncStoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Coverage-guided fuzz test of the peer's handling of sync messages from the Mothership
 * ({@link SyncAgent#handle}, docs/security.md "Fuzzing") on a real replica (sync.db and a directory in a
 * temporary directory) and a transport that serves "hello\n" for every blob. The documented outcomes: handled
 * or not ({@code true}/{@code false}), {@link AuraException} (the Mothership refuses the workspace),
 * {@link IOException} (reconnect and resubscribe), {@link SyncStoreException}; never another exception. A
 * frame that is not a JSON object never gets here ({@link ControlConnection} reports it as failed). Each
 * {@code PEER} in the input is replaced by the replica's peer id, so that acknowledgements can be its own.
 * Regression corpus: {@code src/test/resources/dev/aura/app/peer/SyncAgentFuzzTestInputs/syncMessage/}.
 */
class SyncAgentFuzzTest {
  private static final PeerId ME = PeerId.parse("peer_0000000a");
  private static final byte[] CONTENT = "hello\n".getBytes(StandardCharsets.UTF_8);

  private static SyncAgent agent;
  private static Replica replica;

  @FuzzTest(maxDuration = "2m")
  void syncMessage(byte[] data) throws Exception {
    ObjectNode message;
    try {
      message = Wire.parseObject(new String(data, StandardCharsets.UTF_8).replace("PEER", ME.value()));
    } catch (IllegalArgumentException notAnObject) {
      return;
    }
    start();
    try {
      agent.handle(message);
      agent.tick(false);
    } catch (AuraException | IOException | SyncStoreException expected) {
      // typed outcomes
    }
  }

  private static synchronized void start() throws Exception {
    if (agent != null) {
      return;
    }
    Path root = Files.createTempDirectory("aura-agent-fuzz");
    PeerSyncStore store = PeerSyncStore.open(root.resolve("home/sync.db"));
    replica = Replica.open(store, Files.createDirectories(root.resolve("work")), WorkspaceName.parse("widget"),
        ME, 1024 * 1024, Clock.systemUTC());
    Files.writeString(replica.directory().resolve("mine.txt"), "a local edit\n");
    agent = new SyncAgent(replica, new FixedContentTransport(CONTENT), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    agent.connected();
    agent.scanNow();
    Runtime.getRuntime().addShutdownHook(new Thread(store::close));
  }
}
