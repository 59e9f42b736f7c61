package dev.aura.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.aura.token.internal.Ed25519Key;
import dev.aura.token.internal.Es256Key;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Known-answer vectors from RFC 8032, RFC 8037 and RFC 7515 for every algorithm we sign with. */
class KnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest(name = "RFC 8032 7.1 {0}")
  @CsvSource({
      "TEST 1, 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60,"
          + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a, '',"
          + "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
      "TEST 2, 4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb,"
          + "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c, 72,"
          + "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
      "TEST 3, c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7,"
          + "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025, af82,"
          + "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
  })
  void ed25519_rfc8032Vectors_signExactlyAndVerify(String name, String sk, String pk, String msg, String sig) {
    Ed25519Key key = Ed25519Key.fromRaw(HEX.parseHex(pk), HEX.parseHex(sk), "kat");
    byte[] message = HEX.parseHex(msg);

    assertThat(HEX.formatHex(key.sign(message))).isEqualTo(sig);
    assertThat(key.verify(message, HEX.parseHex(sig))).isTrue();
    byte[] tampered = HEX.parseHex(sig);
    tampered[0] ^= 1;
    assertThat(key.verify(message, tampered)).isFalse();
  }

  private static final String RFC8037_JWK = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
      + "\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\","
      + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
  private static final String RFC8037_JWS = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
      + ".hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

  @Test
  void ed25519Signer_rfc8037A4_reproducesTheExactSignature() throws Exception {
    OctetKeyPair jwk = OctetKeyPair.parse(RFC8037_JWK);
    JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.EdDSA), new Payload("Example of Ed25519 signing"));

    jws.sign(new Ed25519Signer(jwk));

    assertThat(jws.serialize()).isEqualTo(RFC8037_JWS);
  }

  @Test
  void ed25519Verifier_rfc8037A4_verifiesAndRefusesATamperedPayload() throws Exception {
    OctetKeyPair jwk = OctetKeyPair.parse(RFC8037_JWK);
    Ed25519Verifier verifier = new Ed25519Verifier(jwk.toPublicJWK());

    assertThat(JWSObject.parse(RFC8037_JWS).verify(verifier)).isTrue();
    String tampered = RFC8037_JWS.replace("RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc",
        "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmd");
    assertThat(JWSObject.parse(tampered).verify(verifier)).isFalse();
  }

  @Test
  void ed25519Verifier_refusesAValidSignatureWithOneByteAppended() throws Exception {
    OctetKeyPair jwk = OctetKeyPair.parse(RFC8037_JWK);
    JWSObject jws = JWSObject.parse(RFC8037_JWS);
    byte[] sig = jws.getSignature().decode();
    byte[] longer = java.util.Arrays.copyOf(sig, sig.length + 1);

    boolean ok = new Ed25519Verifier(jwk.toPublicJWK()).verify(jws.getHeader(),
        jws.getSigningInput(), com.nimbusds.jose.util.Base64URL.encode(longer));

    assertThat(ok).isFalse();
  }

  @Test
  void es256_rfc7515A3_verifies() throws Exception {
    ECKey jwk = ECKey.parse("{\"kty\":\"EC\",\"crv\":\"P-256\","
        + "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
        + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\","
        + "\"d\":\"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\"}");
    String input = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
        + "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
    byte[] sig = java.util.Base64.getUrlDecoder().decode(
        "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q");
    Es256Key key = Es256Key.fromJwk(jwk);

    assertThat(key.verify(input.getBytes(StandardCharsets.US_ASCII), sig)).isTrue();
    sig[10] ^= 1;
    assertThat(key.verify(input.getBytes(StandardCharsets.US_ASCII), sig)).isFalse();
  }

  @Test
  void es256_signaturesWeMakeVerifyWithTheJdk() throws Exception {
    Es256Key key = Es256Key.generate(new java.security.SecureRandom());
    byte[] message = "aura".getBytes(StandardCharsets.US_ASCII);
    byte[] sig = key.sign(message);

    java.security.Signature jdk = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
    jdk.initVerify(((ECKey) key.publicJwk()).toECPublicKey());
    jdk.update(message);

    assertThat(sig).hasSize(64);
    assertThat(jdk.verify(sig)).isTrue();
  }
}
