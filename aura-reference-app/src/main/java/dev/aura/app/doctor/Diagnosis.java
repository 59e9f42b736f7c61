package dev.aura.app.doctor;

import java.util.Locale;
import java.util.Optional;

/**
 * The conditions {@code aura doctor} detects, each with a stable code ({@code DR001}...), what it means, how
 * to fix it, and when the check was added ({@code aura doctor --explain DR002}).
 */
public enum Diagnosis {
  /** The configured port is held by something else. */
  DR001("port in use", Severity.ERROR,
      "Something other than this Mothership listens on the configured port, so 'aura mothership start' fails"
          + " with \"failed to bind ...: address already in use\". Usually a previous Mothership that did not"
          + " clean up, or an unrelated service.",
      "Find the holder with 'sudo ss -tlnp | grep PORT' (or 'sudo lsof -i :PORT'). If it is a stale Mothership:"
          + " 'aura mothership stop'. Otherwise pick another port: 'aura mothership start --port 8443' or"
          + " [server] port in config.toml.",
      "Symptom: \"address already in use\" on start"),
  /** The Mothership listens on loopback only. */
  DR002("bind address is loopback-only", Severity.WARNING,
      "The Mothership is bound to 127.0.0.1 (or ::1, localhost): only this machine can reach it; peers elsewhere"
          + " see \"tcp connect: timeout\" or \"connection refused\".",
      "Bind to every interface (0.0.0.0, the default) or to the LAN address: 'aura mothership start --bind"
          + " 0.0.0.0', or [server] bind in config.toml. Keep loopback only if every peer runs on this machine.",
      "Symptom: peers can't reach the Mothership"),
  /** The certificate expires within 30 days. */
  DR003("certificate expiring", Severity.WARNING,
      "The Mothership's TLS certificate expires within 30 days (the alert threshold"
          + " aura_tls_cert_not_after_seconds < 30 * 86400); under 7 days /healthz reports tls_cert_expiring_soon.",
      "On the Mothership host: 'aura mothership tls rotate'. Connected peers follow the signed handover; peers"
          + " offline for the whole grace (24h) need 'aura mothership repin'.",
      "Symptom: \"certificate has expired\""),
  /** The certificate has expired. */
  DR004("certificate expired", Severity.ERROR,
      "The Mothership's TLS certificate is past its notAfter: peers refuse it with \"tls: certificate has"
          + " expired\".",
      "On the Mothership host: 'aura mothership tls rotate', then have each peer run 'aura mothership repin"
          + " --url URL' with the new fingerprint from 'aura mothership tls info'.",
      "Symptom: \"certificate has expired\""),
  /** This machine's clock is more than 60 s from the Mothership's. */
  DR005("clock offset from the Mothership over 60s", Severity.ERROR,
      "Join tokens are validated with 60 seconds of allowed clock skew: beyond that, joins fail with \"token"
          + " expired\" or \"token not yet valid (iat is in the future)\".",
      "Fix NTP on whichever clock is wrong: 'sudo timedatectl set-ntp true' (Linux), 'sudo sntp -sS"
          + " time.apple.com' (macOS); check that UDP 123 is not blocked.",
      "Symptom: \"clock skew too large\""),
  /** The Mothership presents a certificate this peer does not pin. */
  DR006("pin mismatch", Severity.ERROR,
      "The certificate the Mothership presents is not among the fingerprints this peer pins: the certificate"
          + " was rotated while the peer was offline beyond the grace, the peer talks to the wrong host, or"
          + " something intercepts TLS.",
      "Compare with 'aura mothership tls info' on the Mothership. If the rotation was legitimate: 'aura"
          + " mothership repin --url URL' and confirm the fingerprint received out of band; otherwise do not"
          + " connect through this network.",
      "Symptom: \"tls handshake failed\""),
  /** The peer and the Mothership speak different protocol versions. */
  DR007("protocol mismatch", Severity.ERROR,
      "This aura binary and the Mothership speak different protocol versions: every request fails with"
          + " \"protocol version mismatch (peer: vX, mothership: vY)\".",
      "Update the older of the two; coordinate Mothership upgrades with the team.",
      "Symptom: \"protocol version mismatch\""),
  /** The store cannot be opened. */
  DR008("store unreachable", Severity.ERROR,
      "The Mothership's store (the SQLite file, or the PostgreSQL database of [store] url) cannot be opened:"
          + " unreachable, refused the login, damaged, or not an Aura store.",
      "For SQLite check the file and its directory; for PostgreSQL check the server, the URL and the"
          + " credentials ('psql URL'). Restore from a backup (database and signing-key file together) if"
          + " damaged.",
      "Symptom: health endpoint returns 503"),
  /** A directory holding secrets is open to other users. */
  DR009("data directory permissions too open", Severity.ERROR,
      "The Mothership's data directory or this AURA_HOME can be read or entered by other users; they hold keys"
          + " and credentials.",
      "chmod 700 DIR",
      "Join Token Security: operational practices"),
  /** A file holding a secret is readable by others. */
  DR010("key file permissions too open", Severity.ERROR,
      "A file holding a private key or a credential (tls.key, admin.credential, signing-key.secret,"
          + " refresh.credential) is readable by group or others.",
      "chmod 600 FILE, and rotate what it protects if others may have read it ('aura mothership tls rotate',"
          + " 'aura mothership rotate-key', or rejoin for a refresh credential).",
      "Join Token Security: operational practices"),
  /** The Mothership cannot be reached. */
  DR011("mothership unreachable", Severity.ERROR,
      "This peer cannot reach its Mothership (or no Mothership runs from this data directory): a firewall, the"
          + " bind address, DNS, or it is stopped.",
      "On the Mothership host: 'aura mothership status'. From the peer: 'nc -zv HOST PORT' (refused: nothing"
          + " listens; timeout: a firewall drops packets). Open the port (ufw, firewalld, security groups).",
      "Symptom: peers can't reach the Mothership"),
  /** This peer was revoked. */
  DR012("peer revoked", Severity.ERROR,
      "The Mothership refuses this peer's credential: the peer (or its subject) was revoked.",
      "If it was intentional, nothing to do. Otherwise a Mothership admin runs 'aura mothership peer unrevoke"
          + " PEER_ID' and the peer reconnects on its next retry.",
      "Symptom: \"peer revoked\" on reconnect"),
  /** The Mothership's durable event log falls behind. */
  DR013("sync store behind (wal_behind)", Severity.WARNING,
      "The Mothership persists sync events more slowly than peers push them: more events wait than [sync]"
          + " max_backlog, or a commit took longer than [sync] max_commit_latency. /healthz says"
          + " {\"status\":\"degraded\",\"reason\":\"wal_behind\"}; peers' WALs grow ('aura wal status' shows"
          + " thousands of unacked events).",
      "Check the disk under the event log ('iostat -x 1'); get faster disks, or move the store to PostgreSQL on"
          + " faster storage. If the Mothership is CPU-bound raise [sync] workers. If one peer floods it, find"
          + " it with 'aura mothership peers --detail' (events_per_min) and ask it to push less.",
      "Symptom: WAL growing without bound"),
  /** The [oidc] identity provider's discovery document is unreachable or invalid. */
  DR014("identity provider unreachable", Severity.ERROR,
      "The Mothership cannot read or accept the discovery document of [oidc] issuer"
          + " (issuer/.well-known/openid-configuration): it does not start (no silent downgrade to tokens only), and"
          + " joins that need an assertion cannot be checked. Causes: a wrong issuer URL (it must equal the"
          + " document's \"issuer\" exactly, trailing slash included), the IdP down or unreachable from this host,"
          + " or its certificate not trusted (a private CA needs [oidc] ca_file).",
      "Open the URL the finding names from the Mothership host ('curl -v URL'); fix oidc.issuer, the network path,"
          + " or set oidc.ca_file to the PEM of the IdP's CA. Remove [oidc] only if assertions are no longer"
          + " required.",
      "Symptom: \"identity provider unreachable\" on start"),
  /** This peer's last direct-connection attempts to other peers failed: it syncs through the relay. */
  DR015("direct connections failing", Severity.WARNING,
      "'aura sync' tried to reach other peers directly at the addresses they announce and some hints failed:"
          + " refused (nothing listens there: the peer is stopped or listens elsewhere), timed out (a NAT or"
          + " firewall drops the packets), identity refused (the other peer's identity or this one's was"
          + " refused: expired, revoked, a stale revocation list), tls (the handshake failed). Nothing breaks:"
          + " the Mothership relays; it only uses more Mothership bandwidth. Read from $AURA_HOME/"
          + dev.aura.app.direct.AttemptLog.FILE + ", the last " + dev.aura.app.direct.AttemptLog.KEEP
          + " attempts.",
      "Put the peers on a mesh VPN such as Tailscale so the announced addresses are reachable ('aura mothership"
          + " peer-config --show-announced' should show a 100.x.x.x address; if not, restart 'aura sync' after"
          + " Tailscale is up), open the port the other peer listens on ('aura sync --listen ADDR:PORT' fixes it),"
          + " or live with the relay. For 'identity refused', let both peers reach the Mothership once (a fresh"
          + " identity and revocation list).",
      "Symptom: peers see each other as offline despite being online"),
  DR016("Mothership instance not reporting (stale heartbeat)", Severity.WARNING,
      "Another instance of this Mothership (the same PostgreSQL [store] url and key_file) has not written its"
          + " heartbeat for more than three intervals: it stopped without a clean shutdown, its host is down, or it"
          + " cannot reach the database (its own /healthz then says {\"status\":\"degraded\",\"reason\":"
          + "\"store_unreachable\"}). Its peers fail over to the other instances they learned at join and refresh."
          + " 'aura mothership status' lists every instance with its health.",
      "On that instance's host: 'aura mothership status' and 'aura doctor' (DR008 tells whether it reaches the"
          + " database), then restart it with 'aura mothership start'. An instance that restarts at the same URL"
          + " replaces its stale row; one retired for good stays listed as stale.",
      "Symptom: peers can't reach the Mothership");

  /** How bad a finding is. */
  public enum Severity {
    /** Worth fixing; things still work. */
    WARNING,
    /** Something is broken or unsafe. */
    ERROR;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The version of aura that introduced every check listed here. */
  public static final String SINCE = "0.1.0";

  private final String title;
  private final Severity severity;
  private final String cause;
  private final String fix;
  private final String see;

  Diagnosis(String title, Severity severity, String cause, String fix, String see) {
    this.title = title;
    this.severity = severity;
    this.cause = cause;
    this.fix = fix;
    this.see = see;
  }

  /** @return for example {@code bind address is loopback-only} */
  public String title() {
    return title;
  }

  /** @return how bad it is */
  public Severity severity() {
    return severity;
  }

  /** @return what it means */
  public String cause() {
    return cause;
  }

  /** @return how to fix it */
  public String fix() {
    return fix;
  }

  /** @return the troubleshooting section to read */
  public String see() {
    return see;
  }

  /** @return the code, such as {@code DR002} */
  public String code() {
    return name();
  }

  /** @return the diagnosis with that code (case-insensitive), if any */
  public static Optional<Diagnosis> find(String code) {
    for (Diagnosis d : values()) {
      if (d.name().equalsIgnoreCase(code == null ? "" : code.trim())) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
