package dev.aura.app.direct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.config.OwnerOnlyFiles;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.PeerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The other peers of this peer's workspace and their hints ({@code host:port}, in the order to try), as the
 * Mothership last told them ({@code direct_peers}), saved in {@value #FILE} (0600) so that the peer can still
 * dial them while the Mothership is down, including after a restart. The book remembers peers that went
 * offline too ({@link #known()}): while the Mothership is up it says who is online ({@link #peers()}); while
 * it is down nobody can, so every known peer is dialed. Thread-safe.
 */
public final class HintBook {
  /** The saved peer list, in {@code $AURA_HOME}. */
  public static final String FILE = "direct-peers.json";
  /** The most hints kept per peer. */
  public static final int MAX_HINTS = 3;
  /** The most peers kept. */
  public static final int MAX_PEERS = 256;

  private final Path file;
  /** Every peer known, least recently listed first. */
  private final Map<PeerId, List<String>> known = new LinkedHashMap<>();
  private final java.util.Set<PeerId> online = new java.util.HashSet<>();

  private HintBook(Path file) {
    this.file = file;
  }

  /** Opens the book, with the peers saved last time (an unreadable file counts as none). */
  public static HintBook open(Path home) {
    HintBook book = new HintBook(home.resolve(FILE));
    try {
      if (Files.isRegularFile(book.file)) {
        JsonNode saved = Wire.parseObject(OwnerOnlyFiles.readSmall(book.file, 1024 * 1024));
        book.read(saved.path("known"));
        book.online.clear();
        book.read(saved.path("peers"));
      }
    } catch (IOException | IllegalArgumentException e) {
      book.known.clear();
      book.online.clear();
    }
    return book;
  }

  /** Takes a {@code direct_peers} message's list as the online peers (remembering the others) and saves it. */
  public synchronized void replace(JsonNode message) throws IOException {
    online.clear();
    read(message.path("peers"));
    ObjectNode o = Wire.object();
    ArrayNode list = o.putArray("peers");
    ArrayNode departed = o.putArray("known");
    known.forEach((peer, hints) -> {
      ObjectNode p = (online.contains(peer) ? list : departed).addObject();
      p.put("peer_id", peer.value());
      hints.forEach(p.putArray("hints")::add);
    });
    OwnerOnlyFiles.writeSecret(file, Wire.write(o) + "\n");
  }

  private void read(JsonNode peersNode) {
    for (JsonNode p : peersNode) {
      PeerId peer;
      try {
        peer = PeerId.parse(p.path("peer_id").asText());
      } catch (IllegalArgumentException e) {
        continue;
      }
      List<String> hints = new java.util.ArrayList<>();
      for (JsonNode h : p.path("hints")) {
        if (hints.size() < MAX_HINTS && Hint.parse(h.asText()).isPresent()) {
          hints.add(h.asText());
        }
      }
      if (online.size() >= MAX_PEERS) {
        continue;
      }
      known.remove(peer);
      known.put(peer, List.copyOf(hints));
      online.add(peer);
      java.util.Iterator<PeerId> oldest = known.keySet().iterator();
      while (known.size() > MAX_PEERS && oldest.hasNext()) {
        if (!online.contains(oldest.next())) {
          oldest.remove();
        }
      }
    }
  }

  /** @return the peers the Mothership last listed as online, and their hints */
  public synchronized Map<PeerId, List<String>> peers() {
    Map<PeerId, List<String>> out = new LinkedHashMap<>();
    online.forEach(p -> out.put(p, known.get(p)));
    return Map.copyOf(out);
  }

  /** @return every peer known (online or not when last listed) and its hints: what to dial while offline */
  public synchronized Map<PeerId, List<String>> known() {
    return Map.copyOf(known);
  }
}
