package dev.aura.app.peer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;

/**
 * The Mothership answered with an error: its wording and detail as an {@link AuraException}, plus the HTTP
 * status, the stable code and the whole body, for callers that act on a refusal (an {@code [oidc]} join that
 * needs an identity provider sign-in first).
 */
public final class Refused extends AuraException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient ObjectNode body;

  Refused(int status, ObjectNode body) {
    super(body.path("error").asText("HTTP " + status), body.hasNonNull("detail") ? body.get("detail").asText()
        : null);
    this.status = status;
    this.body = body;
  }

  /** @return the HTTP status */
  public int status() {
    return status;
  }

  /** @return the stable code, for example {@code idp_assertion_required}; empty when the body has none */
  public String code() {
    return body.path("code").asText("");
  }

  /** @return the error body */
  public ObjectNode body() {
    return body;
  }
}
