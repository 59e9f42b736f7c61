package dev.aura.app.release;

import dev.aura.spi.MothershipId;
import dev.aura.token.KeyRing;
import dev.aura.token.PublicKeyRing;
import dev.aura.token.RejectionReason;
import dev.aura.token.TokenRejectedException;
import dev.aura.token.TokenType;
import dev.aura.token.TypedJws;
import dev.aura.token.VerifiedJws;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The detached signature of a release archive: a JWS of type {@link TokenType#RELEASE_MANIFEST} signed with
 * the Mothership's key ring, whose claims name the archive (version, protocol, SHA-256, size, unpacked size)
 * and the protocol the signing Mothership speaks. A peer verifies it with its own copy of the Mothership's
 * public keys, through the token core's strict JWS path, before it trusts a byte of the archive.
 *
 * <pre>{@code
 * String jws = ReleaseManifest.sign(keyRing, mothershipId, info, Wire.PROTOCOL_VERSION, clock.instant());
 * ReleaseManifest m = ReleaseManifest.verify(jws, peerCopyOfKeys, mothershipId, clock.instant());
 * }</pre>
 *
 * @param mothership who signed it
 * @param version the release's version
 * @param protocol the protocol the release speaks
 * @param mothershipProtocol the protocol the signing Mothership speaks
 * @param sha256 the archive's SHA-256, lowercase hex
 * @param size the archive's size in bytes
 * @param installedSize its files' sizes summed, unpacked
 * @param file the archive's file name
 * @param issuedAt when it was signed
 */
public record ReleaseManifest(MothershipId mothership, ReleaseVersion version, int protocol,
    int mothershipProtocol, String sha256, long size, long installedSize, String file, Instant issuedAt) {

  /** Signs the manifest of an inspected archive. */
  public static String sign(KeyRing keys, MothershipId mothership, ReleaseArchive.Info info,
      int mothershipProtocol, Instant now) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", mothership.value());
    claims.put("version", info.version().toString());
    claims.put("protocol", (long) info.protocol());
    claims.put("mothership_protocol", (long) mothershipProtocol);
    claims.put("sha256", info.sha256());
    claims.put("size", info.size());
    claims.put("installed_size", info.installedSize());
    claims.put("file", info.file().getFileName().toString());
    claims.put("iat", now.getEpochSecond());
    return TypedJws.sign(keys, TokenType.RELEASE_MANIFEST, claims);
  }

  /**
   * Verifies a manifest with the keys a peer holds.
   *
   * @throws ReleaseException {@code release signature invalid} with the token core's reason
   */
  public static ReleaseManifest verify(String jws, PublicKeyRing keys, MothershipId expected, Instant now)
      throws ReleaseException {
    try {
      VerifiedJws verified = TypedJws.verify(jws, TokenType.RELEASE_MANIFEST, keys, TypedJws.DEFAULT_ALGORITHMS,
          now);
      var c = verified.claims();
      String issuer = c.string("iss");
      if (!issuer.equals(expected.value())) {
        throw new TokenRejectedException(RejectionReason.WRONG_ISSUER, "signed by " + issuer + ", this peer"
            + " joined " + expected);
      }
      String sha = c.string("sha256");
      if (!sha.matches("[0-9a-f]{64}")) {
        throw new TokenRejectedException(RejectionReason.MALFORMED, "sha256 is not 64 hex digits");
      }
      return new ReleaseManifest(expected, ReleaseVersion.parse(c.string("version")),
          Math.toIntExact(c.integer("protocol")), Math.toIntExact(c.integer("mothership_protocol")), sha,
          c.integer("size"), c.integer("installed_size"), c.string("file"), c.numericDate("iat"));
    } catch (TokenRejectedException e) {
      throw new ReleaseException(ReleaseException.Reason.BAD_SIGNATURE, e.getMessage());
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ReleaseException(ReleaseException.Reason.BAD_SIGNATURE, "malformed manifest: " + e.getMessage());
    }
  }
}
