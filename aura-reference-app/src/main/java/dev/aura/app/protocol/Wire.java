package dev.aura.app.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;

/**
 * The Mothership's wire protocol as both sides see it: the protocol version header, the routes, and the JSON
 * mapper. One place, so that the server and the peer client cannot drift apart.
 *
 * <p>Every request under {@code /v1/} carries {@value #PROTOCOL_HEADER}; a Mothership answers a different
 * version with {@code 400} and {@code protocol version mismatch (peer: v1, mothership: v2)}.
 */
public final class Wire {
  /** The protocol version this build speaks. */
  public static final int PROTOCOL_VERSION = 1;
  /** The header carrying the protocol version, on every request and response. */
  public static final String PROTOCOL_HEADER = "Aura-Protocol";
  /**
   * The release the Mothership serves ({@code GET}: its signed manifest; {@code GET} {@code /archive}: the
   * archive). Answered without the protocol header and whatever protocol the peer speaks, so that a peer
   * behind a protocol bump can still update itself.
   */
  public static final String RELEASE = "/v1/release";
  /** Largest request body the Mothership reads. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Join with a token: {@code {"token":..., "addresses":[...], "id_token":...}} ({@code id_token} for [oidc]). */
  public static final String JOIN = "/v1/join";
  /** Rotate the presented refresh credential. */
  public static final String REFRESH = "/v1/refresh";
  /** A joined peer presents a fresh identity provider assertion: {@code {"id_token":...}}. */
  public static final String REASSERT = "/v1/reassert";
  /** Check the presented refresh credential and get the server's time. */
  public static final String PING = "/v1/ping";
  /** The server's time, unauthenticated. */
  public static final String TIME = "/v1/time";
  /** The public signing keys as a JWK set. */
  public static final String KEYS = "/v1/keys";
  /** A signed revocation update: {@code ?since=N}. */
  public static final String REVOCATIONS = "/v1/revocations";
  /** Signed pin handovers of certificates still in grace. */
  public static final String PINS = "/v1/pins";
  /** The control connection (WebSocket). */
  public static final String CONTROL = "/v1/control";
  /** Prefix of the sync routes: {@code /v1/sync/<workspace>/blobs/<sha256>} (PUT, GET) and
   * {@code /v1/sync/<workspace>/blobs/missing} (POST {@code {"hashes":[...]}}). */
  public static final String SYNC = "/v1/sync/";
  /** Most events one {@code push} on the control connection carries. */
  public static final int MAX_PUSH_EVENTS = 200;
  /** Largest control-connection message, either way (sync pages and pushes stay well below it). */
  public static final int MAX_CONTROL_MESSAGE_BYTES = 1024 * 1024;
  /**
   * Most JSON tokens in what a peer sends the Mothership (a request body, a control message): a push of
   * {@value #MAX_PUSH_EVENTS} events is about 5,000. Without it, 1 MiB of small objects becomes a tree of
   * about 36 MiB while it is parsed, per connection.
   */
  public static final int MAX_REQUEST_TOKENS = 65_536;
  /** Prefix of the admin API. */
  public static final String ADMIN = "/v1/admin/";
  /** Health. */
  public static final String HEALTHZ = "/healthz";
  /** Prometheus metrics. */
  public static final String METRICS = "/metrics";

  private static final ObjectMapper MAPPER = createMapper(StreamReadConstraints.DEFAULT_MAX_TOKEN_COUNT);
  private static final ObjectMapper REQUEST_MAPPER = createMapper(MAX_REQUEST_TOKENS);

  private Wire() {}

  private static ObjectMapper createMapper(long maxTokens) {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32)
            .maxStringLength(MAX_CONTROL_MESSAGE_BYTES).maxNumberLength(32).maxTokenCount(maxTokens).build())
        .build();
    ObjectMapper mapper = new ObjectMapper(factory);
    mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    mapper.disable(SerializationFeature.INDENT_OUTPUT);
    return mapper;
  }

  /** @return the shared JSON mapper (thread-safe) */
  public static ObjectMapper json() {
    return MAPPER;
  }

  /** @return a new empty JSON object */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Parses a JSON object.
   *
   * @throws IllegalArgumentException when it is not one, without echoing the input
   */
  public static ObjectNode parseObject(String text) {
    return parseObject(MAPPER, text);
  }

  /**
   * Parses a JSON object a peer sent the Mothership (a request body, a control message): as
   * {@link #parseObject}, and refused past {@value #MAX_REQUEST_TOKENS} tokens.
   *
   * @throws IllegalArgumentException when it is not one, or too many tokens, without echoing the input
   */
  public static ObjectNode parseRequest(String text) {
    return parseObject(REQUEST_MAPPER, text);
  }

  private static ObjectNode parseObject(ObjectMapper mapper, String text) {
    JsonNode node;
    try {
      node = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      // Some refusals (a number beyond Jackson's limits, for one) carry no location.
      throw new IllegalArgumentException(e.getLocation() == null ? "malformed JSON"
          : "malformed JSON at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    }
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    return object;
  }

  /** @return compact JSON */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** @return indented JSON, for {@code --json} output */
  public static String pretty(JsonNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** @return the route of a workspace's content blob */
  public static String blob(String workspace, String hash) {
    return SYNC + workspace + "/blobs/" + hash;
  }

  /** What to do about a protocol mismatch: the troubleshooting guide's fix, with the peer's command. */
  public static final String MISMATCH_FIX = "update the older of the two; on a peer: aura self-update";

  /** @return the protocol mismatch message of the troubleshooting guide */
  public static String mismatch(String peerVersion, int mothershipVersion) {
    return "protocol version mismatch (peer: v" + peerVersion + ", mothership: v" + mothershipVersion + ")";
  }
}
