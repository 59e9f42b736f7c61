package dev.aura.app.config;

import dev.aura.spi.Role;
import dev.aura.token.JoinTokenIssuer;
import dev.aura.token.JoinTokenValidator;
import dev.aura.token.RefreshCredentials;
import dev.aura.token.SigningAlgorithm;
import dev.aura.token.TokenDuration;
import dev.aura.tls.CertificateRing;
import dev.aura.tls.TlsVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Mothership's configuration: {@code config.toml} in the data directory (or {@code --config}), every key
 * optional. Read with {@link ConfigLoader}; {@link #defaults()} is what an absent file means.
 *
 * <pre>{@code
 * [server]
 * bind = "0.0.0.0"            # --bind
 * port = 7777                 # --port
 * idle_timeout = "30s"
 * advertise_url = "https://mship-a.acme.internal:7777"   # where peers reach this instance; see advertisedUrl
 * [store]
 * url = "sqlite:/home/me/.aura/mothership/mothership.db"   # or postgresql://host/db?user=aura
 * key_file = "/etc/aura/signing-key.secret"                 # seals private signing keys
 * [tls]
 * cert_file = "/etc/aura/tls.crt"                           # operator-provided PEM; self-signed otherwise
 * key_file = "/etc/aura/tls.key"
 * hostnames = ["mothership.acme.internal"]
 * ip_addresses = ["10.0.1.5"]
 * rotation_grace = "24h"
 * min_version = "1.3"                                       # "1.2" also accepts TLS 1.2 (no renegotiation)
 * [jwt]
 * algorithm = "EdDSA"         # ES256 for FIPS; RS256 only with allow_rs256_legacy = true; HS256 refused
 * allow_rs256_legacy = false
 * key_rotation_grace = "24h"
 * max_expiry = "7d"
 * clock_skew = "60s"
 * [peers]
 * heartbeat_interval = "30s"
 * refresh_rotation = "7d"
 * permitted_roles = ["member", "admin", "read-only"]
 * [limits]
 * failed_handshakes_per_minute = 20
 * [sync]
 * workers = 2                 # the pool that persists and relays events (the documents' sync_workers)
 * max_file_size = "64MiB"     # larger files are not synced (peers say which)
 * max_backlog = 10000         # /healthz wal_behind when more events wait to be persisted
 * max_commit_latency = "2s"   # /healthz wal_behind when a commit takes longer
 * }</pre>
 *
 * @param source the file read, or null for the defaults
 * @param server listening
 * @param store storage
 * @param tls certificate
 * @param jwt signing
 * @param peers peer policy
 * @param limits abuse limits
 * @param sync the sync plane
 * @param oidc the identity provider joins need an assertion from, or null without {@code [oidc]}
 */
public record MothershipConfig(Path source, Server server, Store store, Tls tls, Jwt jwt, Peers peers,
    Limits limits, Sync sync, Oidc oidc) {

  /** The default port. */
  public static final int DEFAULT_PORT = 7777;
  /** The default bind address: every interface. */
  public static final String DEFAULT_BIND = "0.0.0.0";
  /** The default {@code tls.min_version}: TLS 1.3 only, which every Aura peer speaks. */
  public static final TlsVersion DEFAULT_MIN_TLS_VERSION = TlsVersion.TLS_1_3;

  /** Checks nulls. */
  public MothershipConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(jwt, "jwt");
    Objects.requireNonNull(peers, "peers");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(sync, "sync");
  }

  /**
   * {@code [server]}.
   *
   * @param bind the address to listen on
   * @param port the port, 0 for an ephemeral one
   * @param idleTimeout how long an idle or half-open connection is kept
   * @param advertiseUrl where peers reach this instance ({@code advertise_url}), or null to derive it
   */
  public record Server(String bind, int port, Duration idleTimeout, java.net.URI advertiseUrl) {
    /** {@code [server]} without {@code advertise_url}. */
    public Server(String bind, int port, Duration idleTimeout) {
      this(bind, port, idleTimeout, null);
    }

    /**
     * The URL this instance tells peers to fail over to: {@code advertise_url} if set, else
     * {@code https://BIND:PORT} for a specific bind address, or this host's name for a wildcard bind.
     *
     * @param boundPort the port actually bound (differs from {@link #port()} when that is 0)
     */
    public java.net.URI advertisedUrl(int boundPort) {
      if (advertiseUrl != null) {
        return advertiseUrl;
      }
      String host = bind;
      if (bind.isEmpty() || bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
        try {
          host = java.net.InetAddress.getLocalHost().getCanonicalHostName();
        } catch (java.net.UnknownHostException e) {
          host = "localhost";
        }
      }
      String bracketed = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
      return java.net.URI.create("https://" + bracketed + ":" + boundPort);
    }
  }

  /**
   * {@code [store]}.
   *
   * @param url the store URL, or null for the SQLite database in the data directory
   * @param keyFile the key file sealing private signing keys, or null for the store's default
   */
  public record Store(String url, Path keyFile) {
    /** @return the configured URL, if any */
    public Optional<String> urlIfAny() {
      return Optional.ofNullable(url);
    }
  }

  /**
   * {@code [tls]}.
   *
   * @param certFile an operator-provided certificate chain (PEM), or null for the self-signed one
   * @param keyFile its private key, or null
   * @param hostnames extra DNS names for the self-signed certificate
   * @param ipAddresses extra IP addresses for the self-signed certificate
   * @param rotationGrace how long a rotated-away certificate stays acceptable
   * @param minVersion the oldest TLS version the server accepts: TLS 1.3 unless the config says "1.2"
   */
  public record Tls(Path certFile, Path keyFile, List<String> hostnames, List<String> ipAddresses,
      Duration rotationGrace, TlsVersion minVersion) {
    /** Copies lists, checks the version. */
    public Tls {
      hostnames = List.copyOf(hostnames);
      ipAddresses = List.copyOf(ipAddresses);
      Objects.requireNonNull(minVersion, "minVersion");
    }

    /** The {@code [tls]} section with the default {@code min_version}, TLS 1.3. */
    public Tls(Path certFile, Path keyFile, List<String> hostnames, List<String> ipAddresses,
        Duration rotationGrace) {
      this(certFile, keyFile, hostnames, ipAddresses, rotationGrace, DEFAULT_MIN_TLS_VERSION);
    }

    /** @return whether the operator provides the certificate */
    public boolean operatorProvided() {
      return certFile != null;
    }
  }

  /**
   * {@code [jwt]}.
   *
   * @param algorithm the signing algorithm of new keys
   * @param allowRs256Legacy whether RS256 may be configured and accepted
   * @param keyRotationGrace how long a retired signing key keeps verifying
   * @param maxExpiry the longest token lifetime
   * @param clockSkew the allowed clock skew
   */
  public record Jwt(SigningAlgorithm algorithm, boolean allowRs256Legacy, Duration keyRotationGrace,
      TokenDuration maxExpiry, Duration clockSkew) {}

  /**
   * {@code [peers]}.
   *
   * @param heartbeatInterval how often the control connection carries a heartbeat
   * @param refreshRotation how long a refresh credential lives (rotated at half)
   * @param permittedRoles roles that may join
   */
  public record Peers(Duration heartbeatInterval, Duration refreshRotation, Set<Role> permittedRoles) {
    /** Copies the role set. */
    public Peers {
      permittedRoles = Set.copyOf(permittedRoles);
    }
  }

  /**
   * {@code [limits]}.
   *
   * @param failedHandshakesPerMinute failed joins accepted from one address per minute before it is refused
   */
  public record Limits(int failedHandshakesPerMinute) {}

  /**
   * {@code [sync]}.
   *
   * @param workers threads that persist (group commit) and relay events
   * @param maxFileSize files larger than this many bytes are not synced
   * @param maxBacklog events waiting to be persisted above which {@code /healthz} says {@code wal_behind}
   * @param maxCommitLatency a commit slower than this makes {@code /healthz} say {@code wal_behind}
   */
  public record Sync(int workers, long maxFileSize, int maxBacklog, Duration maxCommitLatency) {
    /** 64 MiB. */
    public static final long DEFAULT_MAX_FILE_SIZE = 64L * 1024 * 1024;
  }

  /**
   * {@code [oidc]}: joins of some roles need a fresh ID token from this identity provider.
   *
   * @param issuer the IdP's issuer; discovery at {@code issuer/.well-known/openid-configuration}
   * @param clientId the client id ID tokens must be issued to (a public client with the device flow)
   * @param clientSecretFile a confidential client's secret (0600), or null; not needed by peers
   * @param subjectClaim the claim that must equal the join token's {@code sub}
   * @param maxAge how recent the authentication ({@code auth_time}) must be
   * @param requiredFor the roles whose joins need an assertion
   * @param reassertEvery how often a joined peer must present a fresh assertion again, or null for never
   * @param caFile PEM certificates to trust for the IdP's HTTPS instead of the JDK's trust store, or null
   */
  public record Oidc(java.net.URI issuer, String clientId, Path clientSecretFile, String subjectClaim,
      Duration maxAge, Set<Role> requiredFor, Duration reassertEvery, Path caFile) {
    /** Copies the role set. */
    public Oidc {
      requiredFor = Set.copyOf(requiredFor);
    }

    /** @return whether a join with this role needs an assertion */
    public boolean requiredFor(Role role) {
      return requiredFor.contains(role);
    }

    /** @return {@code reassert_every}, if set */
    public Optional<Duration> reassertEveryIfAny() {
      return Optional.ofNullable(reassertEvery);
    }
  }

  /** @return {@code [oidc]}, if configured */
  public Optional<Oidc> oidcIfAny() {
    return Optional.ofNullable(oidc);
  }

  /** @return the configuration of a data directory without {@code config.toml} */
  public static MothershipConfig defaults() {
    return new MothershipConfig(null,
        new Server(DEFAULT_BIND, DEFAULT_PORT, Duration.ofSeconds(30)),
        new Store(null, null),
        new Tls(null, null, List.of(), List.of(), CertificateRing.DEFAULT_GRACE),
        new Jwt(SigningAlgorithm.EDDSA, false, Duration.ofHours(24), JoinTokenIssuer.DEFAULT_MAX_EXPIRY,
            JoinTokenValidator.DEFAULT_SKEW),
        new Peers(Duration.ofSeconds(30), RefreshCredentials.DEFAULT_ROTATION, EnumSet.allOf(Role.class)),
        new Limits(20),
        new Sync(2, Sync.DEFAULT_MAX_FILE_SIZE, 10_000, Duration.ofSeconds(2)), null);
  }

  /** @return this configuration with {@code --port} / {@code --bind} applied (null leaves a value) */
  public MothershipConfig withListen(String bind, Integer port) {
    return new MothershipConfig(source, new Server(bind == null ? server.bind() : bind,
        port == null ? server.port() : port, server.idleTimeout(), server.advertiseUrl()), store, tls, jwt, peers, limits, sync, oidc);
  }
}
