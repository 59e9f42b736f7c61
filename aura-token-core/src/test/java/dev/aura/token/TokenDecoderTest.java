package dev.aura.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenDecoderTest {
  @Test
  void validToken_decodesHeaderAndClaims_markedUnverified() throws Exception {
    Harness h = Harness.ed25519();
    TokenDecoder.Decoded d = TokenDecoder.decode(h.issue().token());

    assertThat(d.verified()).isFalse();
    assertThat(d.header().orElseThrow()).containsEntry("alg", "EdDSA").containsEntry("typ", "aura-join+jwt");
    assertThat(d.claims().orElseThrow()).containsEntry("sub", "alice@acme.com").containsEntry("iss", "mship_7fcd21a9");
    assertThat(d.signatureLength()).isEqualTo(64);
    assertThat(d.problems()).isEmpty();
  }

  @Test
  void damagedToken_showsTheReadableParts_andListsTheProblems() throws Exception {
    Harness h = Harness.ed25519();
    String[] parts = h.issue().token().split("\\.");

    TokenDecoder.Decoded d = TokenDecoder.decode(parts[0] + ".%%%." + parts[2] + ".extra");

    assertThat(d.header()).isPresent();
    assertThat(d.claims()).isEmpty();
    assertThat(d.problems()).contains("token has 4 segments, expected 3", "payload is not base64url");
  }

  @Test
  void garbage_neverThrows() {
    assertThat(TokenDecoder.decode(null).problems()).isNotEmpty();
    assertThat(TokenDecoder.decode("").problems()).isNotEmpty();
    assertThat(TokenDecoder.decode("x".repeat(100_000)).problems()).containsExactly("token is larger than 64 KiB");
  }
}
