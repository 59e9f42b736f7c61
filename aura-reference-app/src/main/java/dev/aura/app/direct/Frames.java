package dev.aura.app.direct;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.protocol.Wire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The direct protocol's framing: a 4-byte big-endian length, then that many bytes of one JSON object
 * (UTF-8, parsed as strictly as {@link Wire#parseObject}, strings up to a frame). A frame over {@value #MAX_FRAME} bytes, an empty one,
 * one of more than {@value #MAX_TOKENS} JSON tokens or one that is not a JSON object ends the connection.
 */
final class Frames {
  /** The largest frame either side sends or reads: 8 MiB (content travels base64 in chunks below it). */
  static final int MAX_FRAME = 8 * 1024 * 1024;
  /**
   * The most JSON tokens in one frame. The largest frame a peer sends, {@value DirectEvents#MAX_EVENTS_PER_FRAME}
   * events of about 60 tokens each, stays far below; without it an 8 MiB frame of small objects becomes a tree of
   * about 290 MB (docs/security.md, "Memory bound").
   */
  static final int MAX_TOKENS = 65_536;

  /**
   * {@link Wire}'s strict parsing (nesting, numbers, duplicate keys refused), but with strings up to a whole
   * frame: content travels as one base64 string, larger than a control message's 1 MiB string limit.
   */
  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind
      .ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder().streamReadConstraints(
          com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(MAX_FRAME)
              .maxNumberLength(32)
              .maxTokenCount(MAX_TOKENS).build()).build())
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private Frames() {}

  static void write(DataOutputStream out, ObjectNode message) throws IOException {
    byte[] bytes = Wire.write(message).getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_FRAME) {
      throw new IOException("frame of " + bytes.length + " bytes is over the " + MAX_FRAME + "-byte limit");
    }
    synchronized (out) {
      out.writeInt(bytes.length);
      out.write(bytes);
      out.flush();
    }
  }

  /** @throws EOFException at a clean end of the stream */
  static ObjectNode read(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length <= 0 || length > MAX_FRAME) {
      throw new IOException("frame length " + length + " is outside 1.." + MAX_FRAME);
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new EOFException("frame cut short");
    }
    com.fasterxml.jackson.databind.JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException("malformed frame: malformed JSON");
    }
    if (!(node instanceof ObjectNode object)) {
      throw new IOException("malformed frame: expected a JSON object");
    }
    return object;
  }
}
