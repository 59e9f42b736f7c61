package dev.aura.app.direct;

import dev.aura.app.config.OwnerOnlyFiles;
import dev.aura.spi.WorkspaceName;
import dev.aura.tls.PeerKeys;
import dev.aura.tls.TlsIdentity;
import dev.aura.tls.TlsPinningException;
import dev.aura.token.PeerIdentityVerifier;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.VerifiedPeerIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * This peer's side of direct connections: its own key pair ({@code $AURA_HOME/peer-tls/peer.key}, 0600,
 * never sent anywhere, and {@code peer.crt}) and the peer identity its Mothership signed for that key
 * ({@value #IDENTITY_FILE}, 0600). The identity is checked on arrival as any other peer's would be (signed
 * by the Mothership's ring, bound to this key), so a broken or foreign one is never saved or shown.
 *
 * <p>Not thread-safe on its own: {@link DirectPlane} guards it.
 */
public final class OwnIdentity {
  /** The saved identity, in {@code $AURA_HOME}. */
  public static final String IDENTITY_FILE = "peer-identity.jws";
  /** The key pair's directory, in {@code $AURA_HOME}. */
  public static final String KEYS_DIRECTORY = "peer-tls";

  private final TlsIdentity tls;
  private final Path file;
  private volatile String compact;
  private volatile VerifiedPeerIdentity verified;

  private OwnIdentity(TlsIdentity tls, Path file) {
    this.tls = tls;
    this.file = file;
  }

  /**
   * Loads (or generates, at the first call: {@code aura join}) the key pair and the saved identity, which
   * is dropped if it no longer verifies (expired, another key, another Mothership key ring).
   */
  public static OwnIdentity open(Path home, java.time.Clock clock, PeerIdentityVerifier selfCheck)
      throws IOException, TlsPinningException {
    OwnIdentity own = new OwnIdentity(PeerKeys.loadOrGenerate(home.resolve(KEYS_DIRECTORY), clock),
        home.resolve(IDENTITY_FILE));
    if (Files.isRegularFile(own.file) && selfCheck != null) {
      String saved = OwnerOnlyFiles.readSmall(own.file, 16 * 1024).trim();
      PeerIdentityVerifier.Result r = selfCheck.tryVerify(saved, own.tls.fingerprint());
      if (r.accepted()) {
        own.compact = saved;
        own.verified = r.identity();
      }
    }
    return own;
  }

  /**
   * An identity shown exactly as given, unchecked: for tests that make a peer show someone else's (swapped)
   * or a forged identity, to prove the other side refuses it. Never used by the application.
   */
  static OwnIdentity showingUnchecked(TlsIdentity tls, String identity) {
    OwnIdentity own = new OwnIdentity(tls, Path.of("/nonexistent"));
    own.compact = identity;
    return own;
  }

  /** Generates the key pair if there is none: called by {@code aura join}. */
  public static TlsIdentity ensureKeys(Path home, java.time.Clock clock) throws IOException, TlsPinningException {
    return PeerKeys.loadOrGenerate(home.resolve(KEYS_DIRECTORY), clock);
  }

  /** @return the TLS key pair direct connections are made with */
  public TlsIdentity tls() {
    return tls;
  }

  /** @return the certificate as base64 DER, for {@code identity_request} */
  public String certificateBase64() {
    try {
      return Base64.getEncoder().encodeToString(tls.certificate().getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("the peer's own certificate encodes", e);
    }
  }

  /** @return the signed identity to show other peers, once the Mothership has signed one */
  public Optional<String> compact() {
    return Optional.ofNullable(compact);
  }

  /** @return what the identity grants this peer, once signed */
  public Optional<VerifiedPeerIdentity> verified() {
    return Optional.ofNullable(verified);
  }

  /** @return this peer's workspaces as its identity names them (empty: every workspace, or none yet) */
  public Set<WorkspaceName> workspaces() {
    VerifiedPeerIdentity v = verified;
    return v == null ? Set.of() : v.workspaces();
  }

  /** @return whether a new identity should be asked for: none yet, or past half its life */
  public boolean needsRenewal(Instant now) {
    VerifiedPeerIdentity v = verified;
    if (v == null) {
      return true;
    }
    Duration life = Duration.between(v.issuedAt(), v.expiresAt());
    return !now.isBefore(v.issuedAt().plus(life.dividedBy(2)));
  }

  /**
   * Takes a new identity from the Mothership, after checking it is bound to this peer's key and signed by
   * the Mothership, and saves it (0600).
   *
   * @throws TokenRejectedException when it does not verify; nothing is saved
   */
  public VerifiedPeerIdentity accept(String identity, PeerIdentityVerifier selfCheck)
      throws TokenRejectedException, IOException {
    VerifiedPeerIdentity v = selfCheck.verify(identity, tls.fingerprint());
    OwnerOnlyFiles.writeSecret(file, identity + "\n");
    compact = identity;
    verified = v;
    return v;
  }

  @Override
  public String toString() {
    VerifiedPeerIdentity v = verified;
    return "own identity " + tls.fingerprint() + (v == null ? " (not signed yet)" : " until " + v.expiresAt());
  }
}
