package dev.aura.app.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.protocol.Wire;

/**
 * A request the Mothership refuses, answered as {@code {"error": what, "code": code, "detail": why}} with an
 * HTTP status. The error text is the product's wording ({@code token expired}, {@code peer revoked}); the
 * detail shows what was found next to what was expected, never a secret.
 */
public final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiException.class);

  private final int status;
  private final String error;
  private final String code;
  private final String detail;
  private final transient ObjectNode extra;

  /**
   * @param status the HTTP status
   * @param code a stable machine code
   * @param error the product wording
   * @param detail observed and expected values, or null
   */
  public ApiException(int status, String code, String error, String detail) {
    this(status, code, error, detail, null);
  }

  /** As {@link #ApiException(int, String, String, String)} with extra fields for the JSON body. */
  public ApiException(int status, String code, String error, String detail, ObjectNode extra) {
    super(detail == null ? error : error + ": " + detail, null, false, false);
    this.status = status;
    this.code = code;
    this.error = error;
    this.detail = detail;
    this.extra = extra;
  }

  /** @return the HTTP status */
  public int status() {
    return status;
  }

  /** @return the JSON body */
  public ObjectNode body() {
    ObjectNode body = Wire.object();
    body.put("error", error);
    body.put("code", code);
    if (detail != null) {
      body.put("detail", detail);
    }
    if (extra != null) {
      body.setAll(extra);
    }
    return body;
  }

  /** 400 for a malformed or invalid request. */
  public static ApiException badRequest(String error, String detail) {
    return new ApiException(400, "bad_request", error, detail);
  }

  /** 403 for an authenticated caller without the right. */
  public static ApiException forbidden(String detail) {
    return new ApiException(403, "forbidden", "permission denied", detail);
  }

  /** 404. */
  public static ApiException notFound(String error, String detail) {
    return new ApiException(404, "not_found", error, detail);
  }

  /** What a caller is told of a store failure: where the database is, and its error, stay in the log. */
  static final String STORE_DETAIL = "the Mothership cannot reach its database (its log says why)";

  /**
   * 503 {@code store unreachable} for a store failure while serving {@code what}, logged with the store's own
   * message (it names the database's host and user, which a peer has no need to see).
   */
  static ApiException storeUnreachable(String what, Exception failure) {
    LOG.warn("{}: cannot reach the database: {}", what, failure.getMessage());
    return new ApiException(503, "store_unavailable", "store unreachable", STORE_DETAIL);
  }
}
