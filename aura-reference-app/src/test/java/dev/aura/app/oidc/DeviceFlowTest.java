package dev.aura.app.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.aura.app.AuraException;
import dev.aura.app.testing.HttpsTestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the device flow's polling answers what a token endpoint may say, on an HTTPS IdP of this test's own that
 * plays the answers given to it in order (the flow against a real Keycloak is {@code OidcJoinTest}).
 */
class DeviceFlowTest {
  private static final String ID_TOKEN = base64("{\"alg\":\"none\"}") + "." + base64("{\"sub\":\"carol\"}") + ".";
  private static final String PENDING = "400 {\"error\":\"authorization_pending\"}";
  private static final String KEYCLOAK_500 = "500 {\"error\":\"unknown_error\",\"error_description\":\"For more on"
      + " this error consult the server log.\"}";
  private static final String SIGNED_IN = "200 {\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":60,"
      + "\"id_token\":\"" + ID_TOKEN + "\"}";

  @TempDir
  Path temp;

  private HttpsTestServer idp;
  private URI issuer;
  private final Deque<String> answers = new ArrayDeque<>();
  private final AtomicInteger polls = new AtomicInteger();
  private final StringWriter printed = new StringWriter();

  @BeforeEach
  void idp() throws Exception {
    idp = HttpsTestServer.start(temp);
    String base = idp.base() + "/realms/acme";
    issuer = URI.create(base);
    HttpsServer server = idp.server();
    server.createContext("/realms/acme/.well-known/openid-configuration", x -> answer(x, 200, "{\"issuer\":\"" + base
        + "\",\"authorization_endpoint\":\"" + base + "/auth\",\"token_endpoint\":\"" + base + "/token\","
        + "\"device_authorization_endpoint\":\"" + base + "/device/auth\",\"jwks_uri\":\"" + base + "/certs\","
        + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}"));
    server.createContext("/realms/acme/device/auth", x -> answer(x, 200, "{\"device_code\":\"dc-1\",\"user_code\":"
        + "\"BJLG-XBUY\",\"verification_uri\":\"" + base + "/device\",\"verification_uri_complete\":\"" + base
        + "/device?user_code=BJLG-XBUY\",\"expires_in\":600,\"interval\":1}"));
    server.createContext("/realms/acme/token", x -> {
      polls.incrementAndGet();
      String next;
      synchronized (answers) {
        next = answers.isEmpty() ? PENDING : answers.poll();
      }
      int space = next.indexOf(' ');
      answer(x, Integer.parseInt(next.substring(0, space)), next.substring(space + 1));
    });
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    exchange.getRequestBody().readAllBytes();
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", json.startsWith("{") ? "application/json" : "text/html");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private String signIn(String... tokenAnswers) throws AuraException {
    synchronized (answers) {
      answers.addAll(java.util.List.of(tokenAnswers));
    }
    DeviceFlow flow = new DeviceFlow(IdpHttps.create(idp.caFile(), Duration.ofSeconds(5)), new PrintWriter(printed, true),
        d -> { }); // the IdP's interval is not waited for: the answers come in order anyway
    return flow.signIn(issuer, "aura", "openid email");
  }

  @Test
  void aServerErrorWhilePolling_isAskedPast_withANotice() throws Exception {
    assertThat(signIn(PENDING, KEYCLOAK_500, PENDING, SIGNED_IN)).isEqualTo(ID_TOKEN);

    assertThat(polls.get()).isEqualTo(4);
    assertThat(printed.toString()).contains("waiting for approval...\n"
        + "identity provider answered HTTP 500 (unknown_error: For more on this error consult the server log.);"
        + " asking again\n" + "signed in at " + issuer + "\n");
  }

  @Test
  void aServerErrorThatIsNotJson_isAskedPastToo() throws Exception {
    assertThat(signIn("502 <html>bad gateway</html>", SIGNED_IN)).isEqualTo(ID_TOKEN);

    assertThat(printed.toString()).contains("identity provider answered HTTP 502 (an answer that is not an OAuth"
        + " error); asking again\n");
  }

  @Test
  void serverErrorsOneMoreThanTheLimitInARow_failTheSignIn_namingTheError() {
    String[] errors = new String[DeviceFlow.MAX_SERVER_ERRORS + 1];
    java.util.Arrays.fill(errors, KEYCLOAK_500);

    assertThatThrownBy(() -> signIn(errors)).isInstanceOf(AuraException.class)
        .hasMessage("identity provider sign-in failed: unknown_error: For more on this error consult the server"
            + " log. (HTTP 500, " + (DeviceFlow.MAX_SERVER_ERRORS + 1) + " times in a row from " + issuer + "/token)");
    assertThat(polls.get()).isEqualTo(DeviceFlow.MAX_SERVER_ERRORS + 1);
  }

  @Test
  void serverErrorsCountOnlyInARow() throws Exception {
    String[] answers = new String[2 * DeviceFlow.MAX_SERVER_ERRORS + 2];
    for (int i = 0; i < DeviceFlow.MAX_SERVER_ERRORS; i++) {
      answers[i] = KEYCLOAK_500;
      answers[DeviceFlow.MAX_SERVER_ERRORS + 1 + i] = KEYCLOAK_500;
    }
    answers[DeviceFlow.MAX_SERVER_ERRORS] = PENDING;
    answers[answers.length - 1] = SIGNED_IN;

    assertThat(signIn(answers)).isEqualTo(ID_TOKEN);
  }

  @Test
  void anErrorOfTheClientsSide_failsAtOnce() {
    assertThatThrownBy(() -> signIn("400 {\"error\":\"invalid_grant\",\"error_description\":\"Code not valid\"}"))
        .isInstanceOf(AuraException.class)
        .hasMessage("identity provider sign-in failed: invalid_grant: Code not valid");
    assertThat(polls.get()).isEqualTo(1);
  }

  @Test
  void denied_isTheDenial() {
    assertThatThrownBy(() -> signIn("400 {\"error\":\"access_denied\"}")).isInstanceOf(AuraException.class)
        .hasMessageStartingWith("identity provider sign-in denied: the request with code BJLG-XBUY was denied at ");
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
