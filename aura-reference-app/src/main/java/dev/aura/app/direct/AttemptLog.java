package dev.aura.app.direct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.config.OwnerOnlyFiles;
import dev.aura.app.protocol.Wire;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * This peer's last {@value #KEEP} direct-connection hint attempts, newest last: which peer, which hint,
 * whether it worked and why not. Reported to the Mothership ({@code direct_report}, shown by
 * {@code aura mothership peers --detail} as {@code direct_connects}) and saved in {@value #FILE} for
 * {@code aura doctor} (DR015). Thread-safe.
 */
public final class AttemptLog {
  /** The saved attempts, in {@code $AURA_HOME}. */
  public static final String FILE = "direct-attempts.json";
  /** How many attempts are kept: the last three hints. */
  public static final int KEEP = 3;

  /**
   * One attempt.
   *
   * @param peer the peer dialed
   * @param hint the hint tried
   * @param ok whether an authenticated connection resulted
   * @param error why not: {@code refused}, {@code timed out}, {@code identity refused: ...}; empty when ok
   * @param at when
   */
  public record Attempt(String peer, String hint, boolean ok, String error, Instant at) {}

  private final Path file;
  private final Deque<Attempt> last = new ArrayDeque<>();

  private AttemptLog(Path file) {
    this.file = file;
  }

  /** @return a log that saves to {@code $AURA_HOME/}{@value #FILE} */
  public static AttemptLog open(Path home) {
    return new AttemptLog(home.resolve(FILE));
  }

  /** Records an attempt and saves the log (a failed save is not an error: it only feeds the doctor). */
  public synchronized void add(Attempt attempt) {
    last.addLast(attempt);
    while (last.size() > KEEP) {
      last.removeFirst();
    }
    try {
      OwnerOnlyFiles.writeSecret(file, Wire.write(json()) + "\n");
    } catch (IOException e) {
      // the doctor then shows the previous attempts
    }
  }

  /** @return the {@code direct_report} control message */
  public synchronized ObjectNode report() {
    ObjectNode m = json();
    m.put("type", "direct_report");
    return m;
  }

  private ObjectNode json() {
    ObjectNode o = Wire.object();
    ArrayNode list = o.putArray("attempts");
    for (Attempt a : last) {
      ObjectNode j = list.addObject();
      j.put("peer_id", a.peer());
      j.put("hint", a.hint());
      j.put("ok", a.ok());
      j.put("error", a.error());
      j.put("at", a.at().toString());
    }
    return o;
  }

  /** @return the attempts saved in {@code home}, oldest first; empty when none or unreadable */
  public static List<Attempt> read(Path home) {
    Path file = home.resolve(FILE);
    List<Attempt> out = new ArrayList<>();
    try {
      if (!Files.isRegularFile(file)) {
        return out;
      }
      for (JsonNode a : Wire.parseObject(OwnerOnlyFiles.readSmall(file, 64 * 1024)).path("attempts")) {
        out.add(new Attempt(a.path("peer_id").asText(), a.path("hint").asText(), a.path("ok").asBoolean(),
            a.path("error").asText(), Instant.parse(a.path("at").asText())));
      }
    } catch (IOException | RuntimeException e) {
      out.clear();
    }
    return out;
  }
}
