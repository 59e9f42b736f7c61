package dev.aura.app.direct;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.Fingerprint;
import dev.aura.spi.WorkspaceName;
import dev.aura.token.PeerIdentityVerifier;
import dev.aura.token.VerifiedPeerIdentity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * Who wrote an event that travels directly, provable to a peer that never talked to the writer: the writer
 * signs the event (its JSON without content, the workspace, a domain label) with its own peer key, and attaches
 * its Mothership-signed peer identity and its certificate ({@code writer}: {@code identity},
 * {@code certificate}, {@code signature}, base64). A receiver, directly or after any number of forwarding
 * peers, checks that the identity verifies as on a direct connection (the Mothership's ring, not expired, a
 * shared workspace, not revoked by its copy) <em>for the key of that certificate</em>, that it names the
 * event's author, and that the signature is that key's over this event. A forwarding peer therefore cannot
 * change an event, pass one off as another peer's, or launder a read-only peer's event as its own: the
 * receiver decides on the writer's grant, not the forwarder's.
 *
 * <p>What it cannot prove: that the writer is still allowed at the moment of receipt beyond what the
 * receiver's revocation copy and the identity's expiry say (the same bound as a direct connection).
 */
final class WriterProof {
  private static final String ALGORITHM = "SHA256withECDSA";
  private static final String LABEL = "aura direct event v1\n";
  private static final int MAX_CERTIFICATE = 8 * 1024;

  private WriterProof() {}

  /** Adds this peer's proof ({@code writer}) to {@code event} (its JSON without content). */
  static void sign(OwnIdentity own, WorkspaceName workspace, ObjectNode event) {
    String identity = own.compact().orElseThrow(() -> new IllegalStateException("no peer identity yet"));
    byte[] signature;
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(own.tls().exportPrivateKey());
      s.update(signed(workspace, event));
      signature = s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the peer's own key signs", e);
    }
    ObjectNode writer = event.putObject("writer");
    writer.put("identity", identity);
    writer.put("certificate", own.certificateBase64());
    writer.put("signature", Base64.getEncoder().encodeToString(signature));
  }

  /**
   * Verifies the proof {@code event} carries.
   *
   * @param event the event's JSON as received, without its content
   * @return the writer, verified
   * @throws DirectException with the reason (the identity's rejection in the product's wording, or what is
   *     wrong with the proof)
   */
  static VerifiedPeerIdentity verify(ObjectNode event, WorkspaceName workspace, PeerIdentityVerifier verifier)
      throws DirectException {
    JsonNode writer = event.path("writer");
    if (!writer.path("identity").isTextual() || !writer.path("certificate").isTextual()
        || !writer.path("signature").isTextual()) {
      throw new DirectException("no proof of its writer (writer: identity, certificate, signature)");
    }
    ObjectNode unsigned = event.deepCopy();
    unsigned.remove("writer");
    X509Certificate certificate;
    byte[] der;
    byte[] signature;
    try {
      der = Base64.getDecoder().decode(writer.path("certificate").asText());
      signature = Base64.getDecoder().decode(writer.path("signature").asText());
      if (der.length > MAX_CERTIFICATE) {
        throw new DirectException("the writer's certificate is over " + MAX_CERTIFICATE + " bytes");
      }
      certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
      throw new DirectException("the writer's certificate or signature is malformed");
    }
    PeerIdentityVerifier.Result result = verifier.tryVerify(writer.path("identity").asText(),
        Fingerprint.ofCertificate(der));
    if (!result.accepted()) {
      throw new DirectException("the writer's identity was refused: " + result.rejection().getMessage());
    }
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(certificate.getPublicKey());
      s.update(signed(workspace, unsigned));
      if (!s.verify(signature)) {
        throw new DirectException("the writer's signature does not match the event");
      }
    } catch (GeneralSecurityException e) {
      throw new DirectException("the writer's signature does not match the event");
    }
    return result.identity();
  }

  private static byte[] signed(WorkspaceName workspace, ObjectNode event) {
    return (LABEL + workspace.value() + "\n" + Wire.write(event)).getBytes(StandardCharsets.UTF_8);
  }
}
