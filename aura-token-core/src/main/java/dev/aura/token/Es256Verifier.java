package dev.aura.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import dev.aura.token.internal.Es256Key;
import java.util.Set;

/**
 * A Nimbus {@link JWSVerifier} for ES256 (ECDSA P-256 with SHA-256, RFC 7518 section 3.4) on BouncyCastle's
 * low-level ECDSA, the same code the key ring verifies tokens with. It accepts only the JOSE form: exactly 64
 * bytes {@code R || S}, each a 32-byte big-endian integer in [1, n-1]. A DER signature, a signature of any
 * other length, or r or s of zero, of n or above, is refused ({@code false}), never reduced or repaired.
 *
 * <pre>{@code
 * JWSObject jws = JWSObject.parse(compact);
 * boolean ok = jws.verify(new Es256Verifier(publicEcJwk));
 * }</pre>
 *
 * <p>Headers with a {@code crit} parameter are refused. Thread-safe.
 */
public final class Es256Verifier implements JWSVerifier {
  private final Es256Key key;
  private final JCAContext jcaContext = new JCAContext();

  /**
   * @param publicKey an EC JWK on P-256; private members are ignored
   * @throws IllegalArgumentException if the key is not on P-256 or its point is not valid
   */
  public Es256Verifier(ECKey publicKey) {
    this.key = Es256Key.fromJwk(publicKey.toPublicJWK());
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
      throw new JOSEException("Es256Verifier supports only ES256, not " + header.getAlgorithm());
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      return false;
    }
    return key.verify(signingInput, signature.decode());
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.ES256);
  }

  @Override
  public JCAContext getJCAContext() {
    return jcaContext;
  }
}
