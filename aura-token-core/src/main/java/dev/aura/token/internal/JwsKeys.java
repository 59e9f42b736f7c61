package dev.aura.token.internal;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.SecureRandom;

/** Builds {@link JwsKey}s from JWKs and generates new ones, by algorithm name. */
public final class JwsKeys {
  private JwsKeys() {}

  /** Generates a key for {@code alg} ({@code EdDSA}, {@code ES256}, {@code RS256}). */
  public static JwsKey generate(String alg, SecureRandom random) {
    return switch (alg) {
      case "EdDSA" -> Ed25519Key.generate(random);
      case "ES256" -> Es256Key.generate(random);
      case "RS256" -> Rs256Key.generate(random);
      default -> throw new IllegalArgumentException("unsupported algorithm " + alg);
    };
  }

  /**
   * Reads a JWK bound to {@code alg}.
   *
   * @throws IllegalArgumentException if the JSON is not a JWK of the right type, without echoing it
   */
  public static JwsKey fromJwk(String alg, String jwkJson) {
    JWK jwk;
    try {
      jwk = JWK.parse(jwkJson);
    } catch (java.text.ParseException e) {
      throw new IllegalArgumentException("stored key is not a valid JWK");
    }
    return fromJwk(alg, jwk);
  }

  /** Reads a parsed JWK bound to {@code alg}. */
  public static JwsKey fromJwk(String alg, JWK jwk) {
    return switch (alg) {
      case "EdDSA" -> {
        if (!(jwk instanceof OctetKeyPair okp)) {
          throw new IllegalArgumentException("an EdDSA key must be an OKP JWK");
        }
        yield Ed25519Key.fromJwk(okp);
      }
      case "ES256" -> {
        if (!(jwk instanceof ECKey ec)) {
          throw new IllegalArgumentException("an ES256 key must be an EC JWK");
        }
        yield Es256Key.fromJwk(ec);
      }
      case "RS256" -> {
        if (!(jwk instanceof RSAKey rsa)) {
          throw new IllegalArgumentException("an RS256 key must be an RSA JWK");
        }
        yield Rs256Key.fromJwk(rsa);
      }
      default -> throw new IllegalArgumentException("unsupported algorithm " + alg);
    };
  }
}
