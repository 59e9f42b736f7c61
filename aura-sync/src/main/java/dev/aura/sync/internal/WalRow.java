package dev.aura.sync.internal;

import dev.aura.sync.Change;
import java.time.Instant;

/** One WAL row, without its content. {@code keptAs}: a refused put whose file was moved to a local copy. */
public record WalRow(long localSeq, Change change, String state, Instant recordedAt, String refusedCode,
    String refusedMessage, Instant refusedAt, String keptAs) {
  public static final String PENDING = "PENDING";
  public static final String REFUSED = "REFUSED";

  public boolean pending() {
    return PENDING.equals(state);
  }
}
