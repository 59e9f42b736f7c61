package dev.aura.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.oidc.IdpHttps;
import dev.aura.app.protocol.Wire;
import dev.aura.tls.PemFiles;
import dev.aura.tls.SelfSignedCertificateGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Keycloak for the OIDC tests: the {@code keycloak-quarkus-dist} that Maven unpacked into
 * {@code target/keycloak}, started once per test JVM ({@link #shared()}) in dev mode with an in-memory database,
 * HTTPS only reachable on 127.0.0.1 with a certificate the test makes (trusted through {@link #caFile()}), and the
 * realms {@code acme} and {@code other} imported from {@code src/test/resources/oidc}. Stopped by a shutdown hook.
 *
 * <p>A person's browser is played by a plain HTTP client with cookies: it opens the device verification URL,
 * submits Keycloak's login form and then its consent form ({@link #approve}). Account and key changes use the
 * admin REST API with the bootstrap admin, whose password is random per run.
 *
 * <p>Needs Java 21+ (Keycloak 26): {@code /usr/lib/jvm/temurin-25-jdk-amd64} or any JDK 21+ under
 * {@code /usr/lib/jvm}; without one the tests are skipped with that reason.
 */
public final class Keycloak {
  private static final Duration START_LIMIT = Duration.ofSeconds(240);
  private static Keycloak shared;
  private static RuntimeException failed;

  private final Process process;
  private final int port;
  private final Path caFile;
  private final SSLContext ssl;
  private final String adminPassword;
  private final Path log;

  private Keycloak(Process process, int port, Path caFile, SSLContext ssl, String adminPassword, Path log) {
    this.process = process;
    this.port = port;
    this.caFile = caFile;
    this.ssl = ssl;
    this.adminPassword = adminPassword;
    this.log = log;
  }

  /** @return the Keycloak of this test run, started on first use; skips the test when no Java 21+ exists */
  public static synchronized Keycloak shared() {
    Optional<Path> java = java21();
    Assumptions.assumeTrue(java.isPresent(), "Keycloak 26 needs Java 21+: none under /usr/lib/jvm (set"
        + " -Daura.keycloak.java=JAVA_HOME)");
    if (failed != null) {
      throw failed;
    }
    if (shared == null) {
      try {
        shared = start(java.get());
      } catch (RuntimeException e) {
        failed = e;
        throw e;
      }
    }
    return shared;
  }

  private static Optional<Path> java21() {
    String configured = System.getProperty("aura.keycloak.java");
    if (configured != null) {
      return Optional.of(Path.of(configured));
    }
    Path preferred = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    if (Files.isExecutable(preferred.resolve("bin/java"))) {
      return Optional.of(preferred);
    }
    try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
      return jvms.filter(p -> Files.isExecutable(p.resolve("bin/java")) && major(p) >= 21).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int major(Path jdk) {
    try {
      Matcher m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(jdk.resolve("release")));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static Keycloak start(Path javaHome) {
    Path home = Path.of(System.getProperty("aura.keycloak.home", "target/keycloak/keycloak"));
    if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
      throw new IllegalStateException("no Keycloak distribution at " + home + " (mvn unpacks it in"
          + " generate-test-resources)");
    }
    try {
      Path work = Files.createDirectories(home.getParent().resolve("run"));
      Path cert = work.resolve("tls.crt");
      Path key = work.resolve("tls.key");
      Files.deleteIfExists(cert);
      Files.deleteIfExists(key);
      PemFiles.write(SelfSignedCertificateGenerator.builder(Clock.systemUTC()).commonName("keycloak-test")
          .validity(Duration.ofDays(2)).build().generate(), cert, key);
      Path imports = Files.createDirectories(home.resolve("data/import"));
      for (String realm : List.of("acme", "other")) {
        try (InputStream in = Keycloak.class.getResourceAsStream("/oidc/realm-" + realm + ".json")) {
          Files.write(imports.resolve("realm-" + realm + ".json"), in.readAllBytes());
        }
      }
      int https = freePort();
      String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
      Path log = work.resolve("keycloak.log");
      ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev", "--db=dev-mem",
          "--http-host=127.0.0.1", "--http-port=" + freePort(), "--https-port=" + https,
          "--http-management-port=" + freePort(), "--https-certificate-file=" + cert,
          "--https-certificate-key-file=" + key, "--import-realm", "--hostname-strict=false",
          "--cache=local");
      pb.environment().put("JAVA_HOME", javaHome.toString());
      pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
      pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", password);
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      Process process = pb.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process), "keycloak-stop"));
      Keycloak kc = new Keycloak(process, https, cert, IdpHttps.trusting(cert), password, log);
      kc.awaitReady();
      return kc;
    } catch (IOException | dev.aura.app.AuraException e) {
      throw new IllegalStateException("cannot start Keycloak: " + e.getMessage(), e);
    }
  }

  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    URI discovery = URI.create(issuer("acme") + "/.well-known/openid-configuration");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        if (http(null).send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(Duration.ofMillis(500));
    }
    stop(process);
    throw new IllegalStateException("Keycloak did not start within " + START_LIMIT.toSeconds() + "s:\n"
        + logTail());
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** @return the issuer of a realm, {@code https://127.0.0.1:PORT/realms/NAME} */
  public URI issuer(String realm) {
    return URI.create("https://127.0.0.1:" + port + "/realms/" + realm);
  }

  /** @return the PEM of Keycloak's certificate, for {@code ca_file} and {@code --idp-ca-file} */
  public Path caFile() {
    return caFile;
  }

  private HttpClient http(CookieManager cookies) {
    HttpClient.Builder b = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL);
    if (cookies != null) {
      b.cookieHandler(cookies);
    }
    return b.build();
  }

  private HttpResponse<String> send(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("Keycloak request failed: " + request.uri() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String form(Map<String, String> fields) {
    StringBuilder b = new StringBuilder();
    fields.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return b.toString();
  }

  private HttpResponse<String> post(HttpClient client, URI uri, Map<String, String> fields, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return send(client, b.build());
  }

  /** The test user's password (test-only users of a throwaway IdP). */
  private static String password(String user) {
    return user + "-test-password";
  }

  /**
   * Plays the person at a browser: opens the device verification URL, signs in as {@code user} and grants the
   * consent.
   *
   * @return the last page's visible text ("Device Login Successful", or Keycloak's error such as "Account is
   *     disabled")
   */
  public String approve(URI verificationUriComplete, String user) {
    HttpClient browser = http(new CookieManager());
    HttpResponse<String> login = send(browser, HttpRequest.newBuilder(verificationUriComplete)
        .timeout(Duration.ofSeconds(20)).build());
    String action = formAction(login.body(), "kc-form-login");
    HttpResponse<String> afterLogin = post(browser, URI.create(action), Map.of("username", user, "password",
        password(user), "credentialId", ""), null);
    Matcher consent = Pattern.compile("action=\"([^\"]*login-actions/consent[^\"]*)\"").matcher(afterLogin.body());
    if (!consent.find()) {
      return text(afterLogin.body());
    }
    Matcher code = Pattern.compile("name=\"code\" value=\"([^\"]*)\"").matcher(afterLogin.body());
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("code", code.find() ? code.group(1) : "");
    fields.put("accept", "Yes");
    URI consentUri = URI.create("https://127.0.0.1:" + port).resolve(consent.group(1).replace("&amp;", "&"));
    return text(post(browser, consentUri, fields, null).body());
  }

  private static String formAction(String html, String id) {
    Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*action=\"([^\"]*)\"").matcher(html);
    if (!m.find()) {
      throw new IllegalStateException("no form " + id + " on the page: " + text(html));
    }
    return m.group(1).replace("&amp;", "&");
  }

  private static String text(String html) {
    String noScripts = html.replaceAll("(?s)<script.*?</script>", " ").replaceAll("(?s)<style.*?</style>", " ");
    return noScripts.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
  }

  /**
   * The whole device flow outside the CLI, for {@code --id-token-file} tests: asks for a code as
   * {@code clientId}, approves it as {@code user}, and returns the ID token.
   */
  public String idToken(String realm, String clientId, String user) {
    HttpClient client = http(null);
    String base = issuer(realm) + "/protocol/openid-connect";
    JsonNode code = Wire.parseObject(post(client, URI.create(base + "/auth/device"), Map.of("client_id", clientId,
        "scope", "openid email"), null).body());
    String page = approve(URI.create(code.path("verification_uri_complete").asText()), user);
    if (!page.contains("Device Login Successful")) {
      throw new IllegalStateException("device login as " + user + " failed: " + page);
    }
    JsonNode tokens = Wire.parseObject(post(client, URI.create(base + "/token"), Map.of("grant_type",
        "urn:ietf:params:oauth:grant-type:device_code", "client_id", clientId, "device_code",
        code.path("device_code").asText()), null).body());
    if (!tokens.hasNonNull("id_token")) {
      throw new IllegalStateException("no id_token for " + user + ": " + tokens.path("error").asText());
    }
    return tokens.get("id_token").asText();
  }

  // ------------------------------------------------------------------------------------- admin REST API

  private String adminToken() {
    JsonNode t = Wire.parseObject(post(http(null), URI.create(issuer("master") + "/protocol/openid-connect/token"),
        Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", adminPassword),
        null).body());
    return t.path("access_token").asText();
  }

  private HttpResponse<String> admin(String method, String path, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/admin/realms/" + path))
        .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + adminToken())
        .header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> r = send(http(null), b.build());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("admin " + method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return r;
  }

  /** Enables or disables a user (the IdP's "disabled account"). */
  public void setEnabled(String realm, String user, boolean enabled) {
    JsonNode users = Wire.json().valueToTree(parseArray(admin("GET", realm + "/users?exact=true&username=" + user,
        null).body()));
    ObjectNode rep = (ObjectNode) users.get(0);
    rep.put("enabled", enabled);
    admin("PUT", realm + "/users/" + rep.get("id").asText(), Wire.write(rep));
  }

  /** Sets a realm attribute such as {@code oauth2DeviceCodeLifespan}. */
  public void setRealmAttribute(String realm, String name, int value) {
    ObjectNode rep = Wire.object();
    rep.put(name, value);
    admin("PUT", realm, Wire.write(rep));
  }

  /**
   * Rotates the realm's RSA signing key: adds a new {@code rsa-generated} key provider of higher priority and
   * removes the old ones, as an operator does.
   *
   * @return the kid of the new key
   */
  public String rotateSigningKey(String realm) {
    String realmId = Wire.parseObject(admin("GET", realm, null).body()).path("id").asText();
    List<String> old = new ArrayList<>();
    for (JsonNode c : parseArray(admin("GET", realm + "/components?type=org.keycloak.keys.KeyProvider", null)
        .body())) {
      if (c.path("providerId").asText().equals("rsa-generated")) {
        old.add(c.path("id").asText());
      }
    }
    ObjectNode provider = Wire.object();
    provider.put("name", "rsa-rotated-" + System.nanoTime());
    provider.put("providerId", "rsa-generated");
    provider.put("providerType", "org.keycloak.keys.KeyProvider");
    provider.put("parentId", realmId);
    ObjectNode config = provider.putObject("config");
    config.putArray("priority").add("500");
    config.putArray("enabled").add("true");
    config.putArray("active").add("true");
    config.putArray("algorithm").add("RS256");
    admin("POST", realm + "/components", Wire.write(provider));
    for (String id : old) {
      admin("DELETE", realm + "/components/" + id, null);
    }
    for (JsonNode k : Wire.parseObject(admin("GET", realm + "/keys", null).body()).path("keys")) {
      if (k.path("algorithm").asText().equals("RS256") && k.path("use").asText().equals("SIG")) {
        return k.path("kid").asText();
      }
    }
    throw new IllegalStateException("no RS256 key after rotation");
  }

  private static JsonNode parseArray(String json) {
    try {
      return Wire.json().readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
