package dev.aura.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import dev.aura.token.internal.Ed25519Key;
import java.util.Set;

/**
 * A Nimbus {@link JWSSigner} for EdDSA/Ed25519 on BouncyCastle's low-level RFC 8032 code. Signatures are
 * deterministic, so RFC 8037 appendix A.4 reproduces exactly.
 *
 * <pre>{@code
 * JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.EdDSA), new Payload("..."));
 * jws.sign(new Ed25519Signer(privateOkp));
 * }</pre>
 *
 * <p><b>Warning:</b> holds the private key; do not share the instance with untrusted code. Thread-safe.
 */
public final class Ed25519Signer implements JWSSigner {
  private final Ed25519Key key;
  private final JCAContext jcaContext = new JCAContext();

  /** @param privateKey an OKP JWK on Ed25519 with its private member {@code d} */
  public Ed25519Signer(OctetKeyPair privateKey) {
    if (privateKey.getD() == null) {
      throw new IllegalArgumentException("Ed25519Signer needs the private key (d)");
    }
    this.key = Ed25519Key.fromJwk(privateKey);
  }

  @Override
  public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
    if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
      throw new JOSEException("Ed25519Signer supports only EdDSA, not " + header.getAlgorithm());
    }
    return Base64URL.encode(key.sign(signingInput));
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
