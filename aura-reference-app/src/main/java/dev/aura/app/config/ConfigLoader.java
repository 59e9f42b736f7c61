package dev.aura.app.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.aura.app.AuraException;
import dev.aura.spi.Role;
import dev.aura.token.JoinTokenValidator;
import dev.aura.token.SigningAlgorithm;
import dev.aura.token.TokenDuration;
import dev.aura.tls.TlsVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code config.toml}. Every key is optional; an unknown section or key, a value of the wrong type or
 * out of range is an error naming the key, for example
 * {@code caused by: jwt.algorithm = "HS256": algorithm HS256 is not supported: shared-secret algorithms don't
 * scale (use EdDSA, or ES256 for FIPS)}.
 *
 * <pre>{@code
 * MothershipConfig config = ConfigLoader.load(dataDir.configFile(), false);   // absent file: defaults
 * }</pre>
 */
public final class ConfigLoader {
  private static final int MAX_BYTES = 256 * 1024;
  private static final Map<String, List<String>> KEYS = new LinkedHashMap<>();

  static {
    KEYS.put("server", List.of("bind", "port", "idle_timeout", "advertise_url"));
    KEYS.put("store", List.of("url", "key_file"));
    KEYS.put("tls", List.of("cert_file", "key_file", "hostnames", "ip_addresses", "rotation_grace",
        "min_version"));
    KEYS.put("jwt", List.of("algorithm", "allow_rs256_legacy", "key_rotation_grace", "max_expiry", "clock_skew"));
    KEYS.put("peers", List.of("heartbeat_interval", "refresh_rotation", "permitted_roles"));
    KEYS.put("limits", List.of("failed_handshakes_per_minute"));
    KEYS.put("sync", List.of("workers", "max_file_size", "max_backlog", "max_commit_latency"));
    KEYS.put("oidc", List.of("issuer", "client_id", "client_secret_file", "subject_claim", "max_age", "required_for",
        "reassert_every", "ca_file"));
  }

  private ConfigLoader() {}

  /**
   * @param file the file to read
   * @param required whether an absent file is an error ({@code --config} given) or means the defaults
   * @throws AuraException {@code invalid config file PATH} with the key and problem as the cause
   */
  public static MothershipConfig load(Path file, boolean required) throws AuraException {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw invalid(file, "the file is larger than " + MAX_BYTES / 1024 + " KiB");
      }
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      if (required) {
        throw new AuraException("cannot read config file " + file, "no such file");
      }
      return MothershipConfig.defaults();
    } catch (IOException e) {
      throw new AuraException("cannot read config file " + file, e.getMessage());
    }
    return parse(file, text);
  }

  /** Parses TOML text; {@code file} is only for messages. */
  public static MothershipConfig parse(Path file, String text) throws AuraException {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(text);
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
      throw invalid(file, where + "not valid TOML (" + firstLine(e.getOriginalMessage()) + ")");
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = new TomlMapper().createObjectNode();
    }
    Reader r = new Reader(file, (ObjectNode) root);
    r.checkKnown();
    MothershipConfig d = MothershipConfig.defaults();

    MothershipConfig.Server server = new MothershipConfig.Server(
        r.string("server", "bind", d.server().bind(), ConfigLoader::checkBind),
        r.integer("server", "port", d.server().port(), 0, 65535),
        r.duration("server", "idle_timeout", d.server().idleTimeout(), Duration.ofSeconds(1), Duration.ofHours(1)),
        advertiseUrl(r.string("server", "advertise_url", null, v -> dev.aura.app.peer.MothershipClient.checkUrl(
            java.net.URI.create(v)))));

    String storeUrl = r.string("store", "url", null, v -> {
      if (v.isBlank()) {
        throw new IllegalArgumentException("must not be empty (leave it out for the SQLite default)");
      }
    });
    MothershipConfig.Store store = new MothershipConfig.Store(storeUrl, r.path("store", "key_file"));

    Path certFile = r.path("tls", "cert_file");
    Path keyFile = r.path("tls", "key_file");
    if ((certFile == null) != (keyFile == null)) {
      throw invalid(file, certFile == null ? "tls.key_file is set without tls.cert_file"
          : "tls.cert_file is set without tls.key_file");
    }
    JsonNode minTlsNode = r.node("tls", "min_version");
    if (minTlsNode != null && minTlsNode.isNumber()) {
      throw r.bad("tls", "min_version", "expected a string: \"1.2\" or \"1.3\", in quotes");
    }
    TlsVersion minTls = TlsVersion.parse(r.string("tls", "min_version", d.tls().minVersion().toString(),
        TlsVersion::parse));
    MothershipConfig.Tls tls = new MothershipConfig.Tls(certFile, keyFile,
        r.strings("tls", "hostnames"), r.strings("tls", "ip_addresses"),
        r.duration("tls", "rotation_grace", d.tls().rotationGrace(), Duration.ZERO, Duration.ofDays(30)),
        minTls);

    boolean legacy = r.bool("jwt", "allow_rs256_legacy", false);
    SigningAlgorithm algorithm = d.jwt().algorithm();
    if (r.has("jwt", "algorithm")) {
      String name = r.string("jwt", "algorithm", null, v -> { });
      try {
        algorithm = SigningAlgorithm.parse(name);
      } catch (IllegalArgumentException e) {
        throw r.bad("jwt", "algorithm", e.getMessage());
      }
      if (algorithm == SigningAlgorithm.RS256 && !legacy) {
        throw r.bad("jwt", "algorithm", "RS256 is only for legacy integration: set jwt.allow_rs256_legacy = true"
            + " to enable it");
      }
    }
    Duration maxExpiry = r.duration("jwt", "max_expiry", d.jwt().maxExpiry().value(), Duration.ofMinutes(1),
        Duration.ofDays(365));
    MothershipConfig.Jwt jwt = new MothershipConfig.Jwt(algorithm, legacy,
        r.duration("jwt", "key_rotation_grace", d.jwt().keyRotationGrace(), Duration.ZERO, Duration.ofDays(30)),
        TokenDuration.of(maxExpiry),
        r.duration("jwt", "clock_skew", d.jwt().clockSkew(), Duration.ZERO, JoinTokenValidator.MAX_SKEW));

    Set<Role> roles = d.peers().permittedRoles();
    if (r.has("peers", "permitted_roles")) {
      roles = r.roles("peers", "permitted_roles", "permit at least one role");
    }
    MothershipConfig.Peers peers = new MothershipConfig.Peers(
        r.duration("peers", "heartbeat_interval", d.peers().heartbeatInterval(), Duration.ofSeconds(1),
            Duration.ofMinutes(10)),
        r.duration("peers", "refresh_rotation", d.peers().refreshRotation(), Duration.ofHours(1),
            Duration.ofDays(90)),
        roles);
    MothershipConfig.Limits limits = new MothershipConfig.Limits(
        r.integer("limits", "failed_handshakes_per_minute", d.limits().failedHandshakesPerMinute(), 1, 100_000));
    MothershipConfig.Sync sync = new MothershipConfig.Sync(
        r.integer("sync", "workers", d.sync().workers(), 1, 64),
        r.size("sync", "max_file_size", d.sync().maxFileSize(), 1, 1L << 30),
        r.integer("sync", "max_backlog", d.sync().maxBacklog(), 1, 10_000_000),
        r.duration("sync", "max_commit_latency", d.sync().maxCommitLatency(), Duration.ofMillis(1),
            Duration.ofMinutes(10)));
    return new MothershipConfig(file, server, store, tls, jwt, peers, limits, sync, oidc(r, file));
  }

  private static MothershipConfig.Oidc oidc(Reader r, Path file) throws AuraException {
    if (!r.has("oidc")) {
      return null;
    }
    String issuer = r.string("oidc", "issuer", null, v -> {
      java.net.URI uri;
      try {
        uri = new java.net.URI(v);
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("not a URL");
      }
      if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getQuery() != null
          || uri.getFragment() != null) {
        throw new IllegalArgumentException("expected an https URL without query or fragment, such as"
            + " \"https://idp.acme.internal/realms/acme\" (the keys are fetched over verified HTTPS)");
      }
    });
    if (issuer == null) {
      throw invalid(file, "oidc.issuer: required in [oidc] (the IdP's issuer URL)");
    }
    String clientId = r.string("oidc", "client_id", null, v -> {
      if (v.isBlank() || v.length() > 255) {
        throw new IllegalArgumentException("expected a client id of 1 to 255 characters");
      }
    });
    if (clientId == null) {
      throw invalid(file, "oidc.client_id: required in [oidc] (the public client with the device flow enabled)");
    }
    String claim = r.string("oidc", "subject_claim", "sub", v -> {
      if (!v.matches("[A-Za-z0-9_.:-]{1,64}")) {
        throw new IllegalArgumentException("expected a claim name such as \"email\" or \"sub\"");
      }
    });
    Duration maxAge = r.duration("oidc", "max_age", Duration.ofMinutes(5), Duration.ofSeconds(10),
        Duration.ofDays(1));
    Set<Role> required = EnumSet.allOf(Role.class);
    if (r.has("oidc", "required_for")) {
      required = r.roles("oidc", "required_for", "name at least one role (without [oidc] no role needs an assertion)");
    }
    Duration reassert = r.has("oidc", "reassert_every")
        ? r.duration("oidc", "reassert_every", null, Duration.ofMinutes(1), Duration.ofDays(365)) : null;
    Path secret = relative(file, r.path("oidc", "client_secret_file"));
    if (secret != null && OwnerOnlyFiles.isOpenToOthers(secret)) {
      throw r.bad("oidc", "client_secret_file", "the file is readable by others ("
          + OwnerOnlyFiles.permissions(secret).orElse("?") + "): chmod 600 " + secret);
    }
    if (secret != null && !java.nio.file.Files.isRegularFile(secret)) {
      throw r.bad("oidc", "client_secret_file", "no such file " + secret);
    }
    Path ca = relative(file, r.path("oidc", "ca_file"));
    if (ca != null && !java.nio.file.Files.isRegularFile(ca)) {
      throw r.bad("oidc", "ca_file", "no such file " + ca);
    }
    return new MothershipConfig.Oidc(java.net.URI.create(issuer), clientId, secret, claim, maxAge, required,
        reassert, ca);
  }

  private static Path relative(Path configFile, Path value) {
    if (value == null || value.isAbsolute() || configFile == null || configFile.toAbsolutePath().getParent() == null) {
      return value;
    }
    return configFile.toAbsolutePath().getParent().resolve(value);
  }

  /**
   * Parses a size as the config writes it: bytes ({@code 1048576}) or with a binary unit ({@code 512KiB},
   * {@code 64MiB}, {@code 1GiB}).
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static long parseSize(String text) {
    java.util.regex.Matcher m = text == null ? null
        : java.util.regex.Pattern.compile("([0-9]{1,10})(B|KiB|MiB|GiB)?").matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("expected a size such as 1048576, 512KiB, 64MiB or 1GiB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    return switch (unit) {
      case "KiB" -> n << 10;
      case "MiB" -> n << 20;
      case "GiB" -> n << 30;
      default -> n;
    };
  }

  private static java.net.URI advertiseUrl(String value) {
    return value == null ? null : dev.aura.app.peer.MothershipClient.checkUrl(java.net.URI.create(value));
  }

  private static void checkBind(String value) {
    if (value.isEmpty() || value.length() > 253 || !value.matches("[A-Za-z0-9.:%\\-\\[\\]]+")) {
      throw new IllegalArgumentException("expected an IP address or host name such as 0.0.0.0, 127.0.0.1 or ::");
    }
  }

  /**
   * Parses a duration as the config and flags write it: {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}, and
   * {@code 0s} where zero is allowed.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static Duration parseDuration(String text, boolean zeroAllowed) {
    if (zeroAllowed && text != null && text.matches("0[smhd]?")) {
      return Duration.ZERO;
    }
    return TokenDuration.parse(text).value();
  }

  private static AuraException invalid(Path file, String why) {
    return new AuraException("invalid config file " + (file == null ? "(none)" : file), why);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "parse error";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  private interface Check {
    void check(String value);
  }

  private static final class Reader {
    private final Path file;
    private final ObjectNode root;

    Reader(Path file, ObjectNode root) {
      this.file = file;
      this.root = root;
    }

    void checkKnown() throws AuraException {
      for (Map.Entry<String, JsonNode> section : root.properties()) {
        List<String> known = KEYS.get(section.getKey());
        if (known == null) {
          if (!section.getValue().isObject()) {
            throw invalid(file, "unknown key '" + section.getKey() + "' (keys belong in a section: "
                + String.join(", ", sectionNames()) + ")");
          }
          throw invalid(file, "unknown section [" + section.getKey() + "] (known sections: "
              + String.join(", ", sectionNames()) + ")");
        }
        if (!section.getValue().isObject()) {
          throw invalid(file, "'" + section.getKey() + "' must be a section ([" + section.getKey() + "])");
        }
        for (Iterator<String> keys = section.getValue().fieldNames(); keys.hasNext(); ) {
          String key = keys.next();
          if (!known.contains(key)) {
            throw invalid(file, "unknown key '" + section.getKey() + "." + key + "' (known keys in ["
                + section.getKey() + "]: " + String.join(", ", known) + ")");
          }
        }
      }
    }

    private static List<String> sectionNames() {
      List<String> names = new ArrayList<>();
      KEYS.keySet().forEach(s -> names.add("[" + s + "]"));
      return names;
    }

    boolean has(String section, String key) {
      JsonNode s = root.get(section);
      return s != null && s.has(key);
    }

    JsonNode node(String section, String key) {
      JsonNode s = root.get(section);
      return s == null ? null : s.get(key);
    }

    AuraException bad(String section, String key, String why) {
      JsonNode value = node(section, key);
      String shown = value == null ? "" : " = " + printable(value.toString());
      return invalid(file, section + "." + key + shown + ": " + why);
    }

    String string(String section, String key, String fallback, Check check) throws AuraException {
      JsonNode v = node(section, key);
      if (v == null) {
        return fallback;
      }
      if (!v.isTextual()) {
        throw bad(section, key, "expected a string");
      }
      try {
        check.check(v.asText());
      } catch (IllegalArgumentException e) {
        throw bad(section, key, e.getMessage());
      }
      return v.asText();
    }

    Path path(String section, String key) throws AuraException {
      String value = string(section, key, null, v -> {
        if (v.isBlank()) {
          throw new IllegalArgumentException("must not be empty");
        }
      });
      return value == null ? null : Path.of(value);
    }

    int integer(String section, String key, int fallback, int min, int max) throws AuraException {
      JsonNode v = node(section, key);
      if (v == null) {
        return fallback;
      }
      if (!v.isIntegralNumber()) {
        throw bad(section, key, "expected an integer");
      }
      long value = v.asLong();
      if (!v.canConvertToLong() || value < min || value > max) {
        throw bad(section, key, "must be between " + min + " and " + max);
      }
      return (int) value;
    }

    long size(String section, String key, long fallback, long min, long max) throws AuraException {
      JsonNode v = node(section, key);
      if (v == null) {
        return fallback;
      }
      long value;
      try {
        value = v.isIntegralNumber() && v.canConvertToLong() ? v.asLong() : parseSize(v.isTextual() ? v.asText()
            : null);
      } catch (IllegalArgumentException e) {
        throw bad(section, key, e.getMessage());
      }
      if (value < min || value > max) {
        throw bad(section, key, "must be between " + min + " bytes and " + (max >> 20) + " MiB");
      }
      return value;
    }

    boolean bool(String section, String key, boolean fallback) throws AuraException {
      JsonNode v = node(section, key);
      if (v == null) {
        return fallback;
      }
      if (!v.isBoolean()) {
        throw bad(section, key, "expected true or false");
      }
      return v.asBoolean();
    }

    Duration duration(String section, String key, Duration fallback, Duration min, Duration max)
        throws AuraException {
      JsonNode v = node(section, key);
      if (v == null) {
        return fallback;
      }
      if (!v.isTextual()) {
        throw bad(section, key, "expected a duration string such as \"30s\", \"5m\", \"1h\" or \"7d\"");
      }
      Duration value;
      try {
        value = parseDuration(v.asText(), min.isZero());
      } catch (IllegalArgumentException e) {
        throw bad(section, key, e.getMessage());
      }
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw bad(section, key, "must be between " + TokenDurationText.of(min) + " and " + TokenDurationText.of(max));
      }
      return value;
    }

    /** A non-empty array of role names. */
    Set<Role> roles(String section, String key, String whenEmpty) throws AuraException {
      List<String> names = strings(section, key);
      if (names.isEmpty()) {
        throw bad(section, key, whenEmpty);
      }
      Set<Role> parsed = EnumSet.noneOf(Role.class);
      for (String name : names) {
        try {
          parsed.add(Role.parse(name));
        } catch (IllegalArgumentException e) {
          throw bad(section, key, e.getMessage());
        }
      }
      return parsed;
    }

    boolean has(String section) {
      return root.has(section);
    }

    List<String> strings(String section, String key) throws AuraException {
      JsonNode v = node(section, key);
      if (v == null) {
        return List.of();
      }
      if (!v.isArray()) {
        throw bad(section, key, "expected an array of strings");
      }
      List<String> out = new ArrayList<>();
      for (JsonNode item : v) {
        if (!item.isTextual() || item.asText().isBlank()) {
          throw bad(section, key, "expected an array of non-empty strings");
        }
        out.add(item.asText());
      }
      return out;
    }
  }

  private static String printable(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && out.length() < 60; i++) {
      char c = value.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return value.length() > 60 ? out + "..." : out.toString();
  }

  /** Durations in the config's own notation, for messages. */
  static final class TokenDurationText {
    private TokenDurationText() {}

    static String of(Duration d) {
      return d.isZero() ? "0s" : TokenDuration.of(d).toString();
    }
  }
}
