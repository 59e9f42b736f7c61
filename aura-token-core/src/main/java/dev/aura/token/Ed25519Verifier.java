package dev.aura.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import dev.aura.token.internal.Ed25519Key;
import java.util.Set;

/**
 * A Nimbus {@link JWSVerifier} for EdDSA/Ed25519 on BouncyCastle's low-level RFC 8032 code: about ten times
 * faster here than the JDK's, and it refuses any signature that is not exactly 64 bytes (the JDK 17 provider
 * accepts a valid signature with a byte appended).
 *
 * <pre>{@code
 * JWSObject jws = JWSObject.parse(compact);
 * boolean ok = jws.verify(new Ed25519Verifier(publicOkp));
 * }</pre>
 *
 * <p>Headers with a {@code crit} parameter are refused. Thread-safe.
 */
public final class Ed25519Verifier implements JWSVerifier {
  private final Ed25519Key key;
  private final JCAContext jcaContext = new JCAContext();

  /** @param publicKey an OKP JWK on Ed25519; private members are ignored */
  public Ed25519Verifier(OctetKeyPair publicKey) {
    this.key = Ed25519Key.fromJwk(publicKey.toPublicJWK());
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
    if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
      throw new JOSEException("Ed25519Verifier supports only EdDSA, not " + header.getAlgorithm());
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      return false;
    }
    return key.verify(signingInput, signature.decode());
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.EdDSA);
  }

  @Override
  public JCAContext getJCAContext() {
    return jcaContext;
  }
}
