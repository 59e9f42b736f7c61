package dev.aura.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import dev.aura.token.internal.Es256Key;
import java.util.Set;

/**
 * A Nimbus {@link JWSSigner} for ES256 (ECDSA P-256 with SHA-256, RFC 7518 section 3.4) on BouncyCastle's
 * low-level ECDSA, the same code the key ring signs tokens with. Nonces are deterministic (RFC 6979), so the
 * same key and input always give the same signature; the output is the JOSE form, exactly 64 bytes
 * {@code R || S} (never DER).
 *
 * <pre>{@code
 * JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("..."));
 * jws.sign(new Es256Signer(privateEcJwk));
 * }</pre>
 *
 * <p><b>Warning:</b> holds the private key; do not share the instance with untrusted code. Thread-safe.
 */
public final class Es256Signer implements JWSSigner {
  private final Es256Key key;
  private final JCAContext jcaContext = new JCAContext();

  /**
   * @param privateKey an EC JWK on P-256 with its private member {@code d}
   * @throws IllegalArgumentException if {@code d} is missing, out of range or does not match {@code x, y}
   */
  public Es256Signer(ECKey privateKey) {
    if (privateKey.getD() == null) {
      throw new IllegalArgumentException("Es256Signer needs the private key (d)");
    }
    this.key = Es256Key.fromJwk(privateKey);
  }

  @Override
  public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
      throw new JOSEException("Es256Signer supports only ES256, not " + header.getAlgorithm());
    }
    return Base64URL.encode(key.sign(signingInput));
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
