package dev.aura.app.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.app.testing.Allocations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The memory bound of docs/security.md ("Memory bound") for the direct-connection framing, measured as
 * {@code ParserMemoryBoundTest} measures the other parsers: the bytes the reading thread allocates (not a
 * time) for the largest frame {@link Frames#MAX_FRAME} lets in stay below {@code 48 × cap + 1 MiB}, a frame
 * of more than {@link Frames#MAX_TOKENS} JSON tokens is refused before its tree is built, and a frame whose
 * declared length is past the cap is refused before anything is read into memory.
 */
class DirectFramesMemoryBoundTest {
  private static final long MIB = 1024 * 1024;
  /** A JSON tree (Jackson), as for request bodies and control messages. */
  private static final int JSON_FACTOR = 48;

  private interface Read extends Allocations.Run {}

  private static long allocated(Read read) throws Exception {
    return Allocations.allocated(read);
  }

  @Test
  void frame_8MiB_staysBelowTheJsonBound_andAnOversizeLengthIsRefusedBeforeReading() throws Exception {
    int cap = Frames.MAX_FRAME;
    byte[] string = framed(json("string", cap));
    long used = allocated(() -> Frames.read(new DataInputStream(new ByteArrayInputStream(string))));
    System.out.printf("memory: direct frame (string): cap %d bytes, largest accepted frame allocated %d bytes"
        + " (%.1f x cap)%n", cap, used, (double) used / cap);
    assertThat(used).as("direct frame (string): bytes allocated").isLessThan(JSON_FACTOR * cap + MIB);

    ByteArrayOutputStream oversize = new ByteArrayOutputStream();
    new DataOutputStream(oversize).writeInt(cap + 1);
    oversize.write(new byte[64 * 1024]);
    byte[] bytes = oversize.toByteArray();
    used = allocated(() -> assertThatThrownBy(() ->
        Frames.read(new DataInputStream(new ByteArrayInputStream(bytes))))
        .isInstanceOf(IOException.class).hasMessageContaining("is outside 1.." + cap));
    System.out.printf("memory: direct frame: declared length %d refused after allocating %d bytes%n", cap + 1,
        used);
    assertThat(used).as("bytes allocated refusing a frame past the cap").isLessThan(64 * 1024);
  }

  /**
   * An 8 MiB frame of small objects (about 930,000 of them) was a tree of about 290 MB, enough to end a peer
   * with a 256 MiB heap: now it is refused at {@value Frames#MAX_TOKENS} tokens, having read only that far.
   */
  @Test
  void frame_8MiBOfSmallObjects_isRefusedAtTheTokenLimit_withoutBuildingTheTree() throws Exception {
    int cap = Frames.MAX_FRAME;
    byte[] objects = framed(json("objects", cap));
    long used = allocated(() -> assertThatThrownBy(() ->
        Frames.read(new DataInputStream(new ByteArrayInputStream(objects))))
        .isInstanceOf(IOException.class).hasMessage("malformed frame: malformed JSON"));
    System.out.printf("memory: direct frame (objects): %d bytes refused at %d tokens after allocating %d bytes"
        + " (%.1f x cap)%n", objects.length, Frames.MAX_TOKENS, used, (double) used / cap);
    // the frame's own bytes (read before parsing) and the tree of MAX_TOKENS tokens, not 35 x the frame
    assertThat(used).as("bytes allocated refusing a frame of too many tokens").isLessThan(2L * cap + 16 * MIB);
  }

  /** The largest frame a peer sends ({@link DirectEvents#MAX_EVENTS_PER_FRAME} events) is far below the limit. */
  @Test
  void theLargestDirectEventsFrame_isAccepted_underTheTokenLimit() throws Exception {
    StringBuilder frame = new StringBuilder("{\"type\":\"direct_events\",\"workspace\":\"widget\",\"events\":[");
    for (int i = 0; i < DirectEvents.MAX_EVENTS_PER_FRAME; i++) {
      frame.append(i == 0 ? "" : ",").append("{\"id\":\"peer_0000000b.").append(i + 1).append("\",\"change\":{")
          .append("\"op\":\"put\",\"path\":\"src/f").append(i).append(".txt\",\"kind\":\"file\",")
          .append("\"hash\":\"5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\",\"size\":6,")
          .append("\"executable\":false,\"target\":null,\"based_on\":0,\"authored_at\":\"2026-12-01T09:45:12Z\"},")
          .append("\"writer\":{\"identity\":\"eyJh.e30.AA\",\"certificate\":\"MIIB\",\"signature\":\"AAAA\"},")
          .append("\"content\":\"aGVsbG8K\",\"chunked\":false}");
    }
    byte[] bytes = framed(frame.append("]}").toString().getBytes(StandardCharsets.UTF_8));

    var read = Frames.read(new DataInputStream(new ByteArrayInputStream(bytes)));

    assertThat(read.path("events").size()).isEqualTo(DirectEvents.MAX_EVENTS_PER_FRAME);
  }

  private static byte[] framed(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 4);
    new DataOutputStream(out).writeInt(body.length);
    out.write(body);
    return out.toByteArray();
  }

  /** A JSON object of at most {@code size} bytes: one long string (content in base64), or small objects. */
  private static byte[] json(String shape, int size) {
    StringBuilder out = new StringBuilder(size).append("{\"a\":");
    if (shape.equals("objects")) {
      out.append('[');
      while (out.length() < size - 12) {
        out.append("{\"b\":{}},");
      }
      out.append("{}]");
    } else {
      out.append('"').append("x".repeat(size - 10)).append('"');
    }
    byte[] bytes = out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    assertThat(bytes.length).isLessThanOrEqualTo(size);
    return bytes;
  }
}
