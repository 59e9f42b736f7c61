package dev.aura.app.oidc;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import dev.aura.app.AuraException;
import dev.aura.oidc.IdentityProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;

/**
 * The OAuth 2.0 Device Authorization Grant (RFC 8628) as a public client, with the Nimbus SDK's requests and
 * response parsers over {@link IdpHttps}: asks the IdP for a user code, prints "open URL and enter code
 * XXXX-XXXX", polls the token endpoint at the IdP's interval ({@code authorization_pending}: wait;
 * {@code slow_down}: 5 seconds more, section 3.5) until the person approves, denies ({@code access_denied}) or
 * the code expires ({@code expired_token}), and returns the ID token. A server error of the IdP's own
 * (HTTP 5xx) is polled past up to {@value #MAX_SERVER_ERRORS} times in a row, with a notice. The ID token is
 * never printed, stored or put in an exception.
 */
public final class DeviceFlow {
  /**
   * Server errors (HTTP 5xx) in a row the poll rides out before giving up: a fault of the IdP's says nothing
   * about the approval (Keycloak once answered a poll right after one with a 500 {@code unknown_error}).
   */
  static final int MAX_SERVER_ERRORS = 3;
  private static final String NOT_OAUTH = "an answer that is not an OAuth error";

  /** Waits between polls (a test may shorten nothing: the IdP sets the interval). */
  @FunctionalInterface
  public interface Sleeper {
    /** Sleeps. */
    void sleep(Duration d) throws InterruptedException;
  }

  private final IdpHttps https;
  private final PrintWriter out;
  private final Sleeper sleeper;

  /** A device flow printing its instructions to {@code out}. */
  public DeviceFlow(IdpHttps https, PrintWriter out, Sleeper sleeper) {
    this.https = https;
    this.out = out;
    this.sleeper = sleeper;
  }

  /**
   * Runs the flow to its end.
   *
   * @param issuer the IdP's issuer (its discovery document names the endpoints)
   * @param clientId the public client
   * @param scope the scope to ask for, {@code openid} and what the subject claim needs
   * @return the ID token
   * @throws AuraException when the IdP cannot be reached, the person denied, or the code expired
   */
  public String signIn(URI issuer, String clientId, String scope) throws AuraException {
    IdentityProvider idp = OidcGate.discoverForPeer(issuer, https);
    URI deviceEndpoint = idp.deviceAuthorizationEndpoint().orElseThrow(() -> new AuraException(
        "identity provider has no device flow", issuer + " announces no device_authorization_endpoint: enable"
            + " the OAuth 2.0 device authorization grant for client " + clientId + ", or pass --id-token-file"));
    URI tokenEndpoint = idp.tokenEndpoint().orElseThrow(() -> new AuraException(
        "identity provider has no token endpoint", issuer + " announces none"));
    ClientID client = new ClientID(clientId);
    HTTPRequest ask = new DeviceAuthorizationRequest(deviceEndpoint, client, Scope.parse(scope)).toHTTPRequest();
    DeviceAuthorizationSuccessResponse code;
    try {
      DeviceAuthorizationResponse r = DeviceAuthorizationResponse.parse(post(deviceEndpoint, ask));
      if (!r.indicatesSuccess()) {
        ErrorObject e = r.toErrorResponse().getErrorObject();
        throw new AuraException("identity provider refused the sign-in", describe(e) + " (client " + clientId
            + " at " + issuer + ": is the device authorization grant enabled for it?)");
      }
      code = r.toSuccessResponse();
    } catch (ParseException e) {
      throw new AuraException("identity provider sign-in failed", "unexpected device authorization answer from "
          + deviceEndpoint + ": " + e.getMessage());
    }
    URI complete = code.getVerificationURIComplete() == null ? null : code.getVerificationURIComplete();
    out.println("sign in at your identity provider: open " + code.getVerificationURI() + " and enter code "
        + code.getUserCode().getValue());
    if (complete != null) {
      out.println("  (or open " + complete + ")");
    }
    out.println("waiting for approval...");
    out.flush();
    Duration interval = Duration.ofSeconds(Math.max(1, code.getInterval()));
    long lifetime = code.getLifetime() > 0 ? code.getLifetime() : 600;
    long deadline = System.nanoTime() + Duration.ofSeconds(lifetime).toNanos();
    HTTPRequest poll = new TokenRequest(tokenEndpoint, client, new DeviceCodeGrant(code.getDeviceCode()))
        .toHTTPRequest();
    int serverErrors = 0;
    while (true) {
      try {
        sleeper.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AuraException("identity provider sign-in interrupted");
      }
      HTTPResponse http = post(tokenEndpoint, poll);
      TokenResponse answer;
      try {
        answer = OIDCTokenResponseParser.parse(http);
      } catch (ParseException e) {
        if (http.getStatusCode() >= 500 && ++serverErrors <= MAX_SERVER_ERRORS) {
          askAgain(http.getStatusCode(), NOT_OAUTH);
          checkDeadline(deadline, code, lifetime);
          continue;
        }
        throw new AuraException("identity provider sign-in failed", "unexpected token answer from "
            + tokenEndpoint + " (HTTP " + http.getStatusCode() + "): " + e.getMessage());
      }
      if (!answer.indicatesSuccess() && http.getStatusCode() >= 500) {
        ErrorObject e = answer.toErrorResponse().getErrorObject();
        String what = e.getCode() == null ? NOT_OAUTH : describe(e);
        if (++serverErrors > MAX_SERVER_ERRORS) {
          throw new AuraException("identity provider sign-in failed", what + " (HTTP " + http.getStatusCode() + ", "
              + serverErrors + " times in a row from " + tokenEndpoint + ")");
        }
        askAgain(http.getStatusCode(), what);
        checkDeadline(deadline, code, lifetime);
        continue;
      }
      serverErrors = 0;
      if (answer.indicatesSuccess()) {
        if (!(answer.toSuccessResponse() instanceof OIDCTokenResponse oidc)
            || oidc.getOIDCTokens().getIDTokenString() == null) {
          throw new AuraException("identity provider sign-in failed", "the token answer has no id_token: does"
              + " the scope include openid?");
        }
        out.println("signed in at " + issuer);
        return oidc.getOIDCTokens().getIDTokenString();
      }
      ErrorObject e = answer.toErrorResponse().getErrorObject();
      String error = e.getCode() == null ? "" : e.getCode();
      switch (error) {
        case "authorization_pending" -> { }
        case "slow_down" -> interval = interval.plusSeconds(5);
        case "access_denied" -> throw new AuraException("identity provider sign-in denied",
            "the request with code " + code.getUserCode().getValue() + " was denied at " + issuer);
        case "expired_token" -> throw new AuraException("identity provider sign-in expired",
            "code " + code.getUserCode().getValue() + " was not approved within " + lifetime + "s: run the command"
                + " again");
        default -> throw new AuraException("identity provider sign-in failed", describe(e));
      }
      checkDeadline(deadline, code, lifetime);
    }
  }

  private static void checkDeadline(long deadline, DeviceAuthorizationSuccessResponse code, long lifetime)
      throws AuraException {
    if (System.nanoTime() > deadline) {
      throw new AuraException("identity provider sign-in expired", "code " + code.getUserCode().getValue()
          + " was not approved within " + lifetime + "s: run the command again");
    }
  }

  /** A fault of the IdP's own (HTTP 5xx) while polling: the approval may well be there at the next poll. */
  private void askAgain(int status, String what) {
    out.println("identity provider answered HTTP " + status + " (" + what + "); asking again");
    out.flush();
  }

  private HTTPResponse post(URI endpoint, HTTPRequest request) throws AuraException {
    IdpHttps.Answer a;
    try {
      a = https.postForm(endpoint, request.getBody());
    } catch (IOException e) {
      throw new AuraException("identity provider unreachable", endpoint + ": " + e.getMessage());
    }
    HTTPResponse response = new HTTPResponse(a.status());
    try {
      if (!a.contentType().isEmpty()) {
        response.setEntityContentType(ContentType.parse(a.contentType()));
      }
    } catch (java.text.ParseException e) {
      // leave it unset: the parser then says what it expected
    }
    response.setBody(a.body());
    return response;
  }

  private static String describe(ErrorObject e) {
    return (e.getCode() == null ? "error" : e.getCode()) + (e.getDescription() == null ? ""
        : ": " + e.getDescription().replaceAll("\\p{Cntrl}", "?"));
  }
}
