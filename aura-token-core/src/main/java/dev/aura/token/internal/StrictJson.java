package dev.aura.token.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON for token headers and claims: duplicate keys at any depth are an error, nesting is capped, the
 * document must be one object with nothing after it. Values become String, Long, BigInteger, Double,
 * Boolean, null, List and Map.
 */
public final class StrictJson {
  /** Deepest nesting a token's JSON may have. */
  public static final int MAX_DEPTH = 16;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          .maxStringLength(16 * 1024)
          .maxNumberLength(64)
          .build())
      .build();

  private StrictJson() {}

  /** Thrown when a document is not acceptable; the message says why, without echoing the document. */
  public static final class JsonRejected extends Exception {
    private static final long serialVersionUID = 1L;

    JsonRejected(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses one JSON object from UTF-8 bytes. RFC 8259 section 8.1: the text is UTF-8 and carries no byte
   * order mark. The bytes are decoded strictly here, so Jackson never guesses an encoding (it would read
   * UTF-16 or UTF-32, and skip a BOM).
   */
  public static Map<String, Object> parseObject(byte[] json) throws JsonRejected {
    if (json.length >= 3 && (json[0] & 0xff) == 0xef && (json[1] & 0xff) == 0xbb && (json[2] & 0xff) == 0xbf) {
      throw new JsonRejected("starts with a UTF-8 byte order mark (RFC 8259 section 8.1 forbids one)");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(json)).toString();
    } catch (CharacterCodingException e) {
      throw new JsonRejected("is not valid UTF-8");
    }
    try (JsonParser parser = FACTORY.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new JsonRejected("is not a JSON object");
      }
      Map<String, Object> object = readObject(parser);
      if (parser.nextToken() != null) {
        throw new JsonRejected("has data after the JSON object");
      }
      return object;
    } catch (StreamConstraintsException e) {
      throw new JsonRejected("nests deeper than " + MAX_DEPTH + " levels or has an oversized value");
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      if (m.startsWith("Duplicate field")) {
        int q1 = m.indexOf('\'');
        int q2 = q1 < 0 ? -1 : m.indexOf('\'', q1 + 1);
        String key = q2 > q1 + 1 ? m.substring(q1 + 1, Math.min(q2, q1 + 41)) : "?";
        throw new JsonRejected("has a duplicate key '" + printable(key) + "'");
      }
      throw new JsonRejected("is not valid JSON");
    }
  }

  private static Map<String, Object> readObject(JsonParser parser) throws IOException, JsonRejected {
    Map<String, Object> object = new LinkedHashMap<>();
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      object.put(name, readValue(parser));
    }
    if (token != JsonToken.END_OBJECT) {
      throw new JsonRejected("is not valid JSON");
    }
    return object;
  }

  private static Object readValue(JsonParser parser) throws IOException, JsonRejected {
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw new JsonRejected("is truncated");
    }
    switch (token) {
      case START_OBJECT:
        return readObject(parser);
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(parser));
        }
        return list;
      }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new JsonRejected("is not valid JSON");
    }
  }

  /** Shortens and sanitises untrusted text before it is echoed in a message. */
  public static String printable(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && out.length() < 40; i++) {
      char c = value.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (value.length() > 40) {
      out.append("...");
    }
    return out.toString();
  }
}
