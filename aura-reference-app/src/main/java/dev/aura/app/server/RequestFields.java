package dev.aura.app.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.AuditEventType;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * The one strict reader of everything the Mothership takes from a request besides the JSON of its body: the
 * {@code Authorization} bearer, the protocol header, the declared length and the body's bytes, the query
 * string and its values, and the segments of a sync route. Each refusal is an {@link ApiException} with a 4xx
 * status and the product's wording; no other exception leaves it.
 */
final class RequestFields {
  private RequestFields() {}

  /** @return the bearer token of an {@code Authorization} header, or null when there is none */
  static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }

  /**
   * Checks the {@value Wire#PROTOCOL_HEADER} header.
   *
   * @param mismatchDetail the detail of a mismatch, or null
   * @throws ApiException 400 {@code protocol version missing}, or {@code protocol version mismatch (...)}
   */
  static void checkProtocol(String presented, int version, String mismatchDetail) throws ApiException {
    if (presented == null) {
      throw new ApiException(400, "protocol_missing", "protocol version missing",
          "send the header " + Wire.PROTOCOL_HEADER + ": " + version);
    }
    if (!presented.trim().equals(Integer.toString(version))) {
      throw new ApiException(400, "protocol_mismatch", Wire.mismatch(printable(presented.trim()), version),
          mismatchDetail);
    }
  }

  /**
   * Reads a request body of at most {@code max} bytes and parses it as a JSON object.
   *
   * @param declared the declared {@code Content-Length}, or -1 (chunked)
   * @throws ApiException 413 {@code request body too large}, 400 {@code malformed JSON}
   */
  static ObjectNode jsonBody(InputStream in, long declared, int max) throws ApiException, IOException {
    if (declared > max) {
      throw new ApiException(413, "too_large", "request body too large", declared + " bytes, at most " + max);
    }
    byte[] bytes = in.readNBytes(max + 1);
    if (bytes.length > max) {
      throw new ApiException(413, "too_large", "request body too large", "at most " + max + " bytes");
    }
    try {
      return Wire.parseRequest(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("malformed JSON", e.getMessage());
    }
  }

  /**
   * @param raw the query string as sent (without {@code ?}), or null
   * @throws ApiException 400 {@code invalid query} when it is not valid URL encoding of UTF-8
   */
  static Fields query(String raw) throws ApiException {
    Fields fields = new Fields(true);
    if (raw == null || raw.isEmpty()) {
      return fields;
    }
    try {
      UrlEncoded.decodeUtf8To(raw, fields);
    } catch (IllegalArgumentException e) { // bad %-escapes and bad UTF-8 alike
      throw ApiException.badRequest("invalid query", "the query string is not URL-encoded UTF-8");
    }
    return fields;
  }

  /**
   * @return {@code value} as a non-negative integer, or {@code fallback} when it is null
   * @throws ApiException 400 {@code invalid 'name'}
   */
  static long nonNegative(String name, String value, long fallback) throws ApiException {
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid '" + name + "'", "expected a non-negative integer");
    }
  }

  /** @return the {@code since} instant of the audit route, the epoch when absent */
  static Instant since(String value) throws ApiException {
    if (value == null) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(value);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("invalid 'since'", "expected an ISO-8601 instant");
    }
  }

  /** @return the audit event types of a comma-separated {@code filter}; empty (every type) when absent */
  static Set<AuditEventType> auditTypes(String filter) throws ApiException {
    Set<AuditEventType> types = EnumSet.noneOf(AuditEventType.class);
    if (filter == null || filter.isBlank()) {
      return types;
    }
    for (String name : filter.split(",")) {
      try {
        types.add(AuditEventType.parse(name.trim()));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage(), null);
      }
    }
    return types;
  }

  /**
   * A sync route: {@code <workspace>/blobs/<sha256>} or {@code <workspace>/blobs/missing}.
   *
   * @param workspace the workspace
   * @param hash the blob, or null for {@code missing}
   */
  record SyncRoute(WorkspaceName workspace, ContentHash hash) {
    /** @return whether this is the {@code missing} query */
    boolean missing() {
      return hash == null;
    }
  }

  /**
   * @param rest the path after {@link Wire#SYNC}
   * @param method the request's method, for the message
   * @throws ApiException 404 {@code no such route}, 400 {@code invalid workspace} or {@code invalid content hash}
   */
  static SyncRoute syncRoute(String rest, String method) throws ApiException {
    String[] parts = rest.split("/", -1);
    if (parts.length != 3 || !parts[1].equals("blobs")) {
      throw ApiException.notFound("no such route", printable(method) + " " + Wire.SYNC + "...");
    }
    WorkspaceName workspace;
    try {
      workspace = WorkspaceName.parse(parts[0]);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid workspace", e.getMessage());
    }
    if (parts[2].equals("missing") && method.equals("POST")) {
      return new SyncRoute(workspace, null);
    }
    return new SyncRoute(workspace, contentHash(parts[2]));
  }

  /** @throws ApiException 400 {@code invalid content hash} */
  static ContentHash contentHash(String text) throws ApiException {
    try {
      return ContentHash.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid content hash", e.getMessage());
    }
  }

  /** @return at most 80 characters of {@code value}, each outside printable ASCII as '?' ("" for null) */
  static String printable(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && out.length() < 80; i++) {
      char c = value.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
