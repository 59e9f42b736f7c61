package dev.aura.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

class CompactJwsTest {
  @Test
  void signEs256_producesA64ByteSignatureThatVerifies() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();

    String compact = CompactJws.signEs256("{\"alg\":\"ES256\"}", "{}", pair.getPrivate());
    CompactJws.Segments segments = CompactJws.split(compact);
    byte[] signature = CompactJws.decodeCanonical(segments.signature(), "signature");

    assertThat(signature).hasSize(64);
    assertThat(CompactJws.verifyEs256(pair.getPublic(), segments.signingInput(), signature)).isTrue();
    signature[10] ^= 1;
    assertThat(CompactJws.verifyEs256(pair.getPublic(), segments.signingInput(), signature)).isFalse();
  }

  @Test
  void decodeCanonical_refusesPaddingOtherAlphabetsAndStrayBits() {
    assertThatThrownBy(() -> CompactJws.decodeCanonical("YQ==", "header"))
        .hasMessage("header is not canonical unpadded base64url");
    assertThatThrownBy(() -> CompactJws.decodeCanonical("a+b/", "header")).hasMessage("header is not base64url");
    assertThatThrownBy(() -> CompactJws.decodeCanonical("YR", "header"))
        .hasMessage("header is not canonical unpadded base64url");
    assertThat(CompactJws.decodeCanonical("YQ", "header")).containsExactly('a');
  }

  @Test
  void split_refusesAnythingButThreeSegments() {
    assertThatThrownBy(() -> CompactJws.split("a.b")).hasMessage("expected 3 dot-separated segments, got 2");
    assertThatThrownBy(() -> CompactJws.split("a.b.c.d")).hasMessage("expected 3 dot-separated segments, got 4");
  }
}
