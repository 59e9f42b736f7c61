package dev.aura.sync;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Coverage-guided fuzz tests of the sync plane's readers of peer-supplied events (docs/security.md,
 * "Fuzzing"): a value or an {@link IllegalArgumentException}, never another exception. Input that is not JSON
 * is skipped (the caller's Jackson parse refuses it first). Regression corpus:
 * {@code src/test/resources/dev/aura/sync/SyncParsersFuzzTestInputs/<method>/}.
 */
class SyncParsersFuzzTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @FuzzTest(maxDuration = "2m")
  void readEvent(byte[] data) {
    JsonNode node = json(data);
    if (node == null) {
      return;
    }
    try {
      SyncEvent event = EventCodec.readEvent(node);
      // what was read writes back to a tree that reads as the same event
      if (!EventCodec.readEvent(EventCodec.write(event)).equals(event)) {
        throw new AssertionError("event does not round-trip: " + node);
      }
    } catch (IllegalArgumentException expected) {
      // typed rejection
    }
  }

  @FuzzTest(maxDuration = "2m")
  void readSubmitted(byte[] data) {
    JsonNode node = json(data);
    if (node == null) {
      return;
    }
    try {
      EventCodec.readSubmitted(node);
    } catch (IllegalArgumentException expected) {
      // typed rejection
    }
  }

  @FuzzTest(maxDuration = "2m")
  void readChange(byte[] data) {
    JsonNode node = json(data);
    if (node == null) {
      return;
    }
    try {
      EventCodec.readChange(node);
    } catch (IllegalArgumentException expected) {
      // typed rejection
    }
  }

  /** First byte picks the value type (0 path, 1 event id, 2 content hash); the rest is the text. */
  @FuzzTest(maxDuration = "2m")
  void parseValues(byte[] data) {
    if (data.length == 0) {
      return;
    }
    String text = new String(Arrays.copyOfRange(data, 1, data.length), StandardCharsets.UTF_8);
    try {
      switch (Math.floorMod(data[0], 3)) {
        case 0 -> roundTrip(text, SyncPath.parse(text).toString());
        case 1 -> roundTrip(text, EventId.parse(text).toString());
        default -> ContentHash.parse(text);
      }
    } catch (IllegalArgumentException expected) {
      // typed rejection
    }
  }

  private static void roundTrip(String in, String out) {
    if (!in.equals(out)) {
      throw new AssertionError("parse then toString changed '" + in + "' to '" + out + "'");
    }
  }

  private static JsonNode json(byte[] data) {
    try {
      return MAPPER.readTree(data);
    } catch (IOException notJson) {
      return null;
    }
  }
}
