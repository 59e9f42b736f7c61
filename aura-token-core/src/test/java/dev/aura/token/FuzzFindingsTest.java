package dev.aura.token;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** One test per bug {@link TokenParsersFuzzTest} found; each input is also in the regression corpus. */
class FuzzFindingsTest {
  @Test
  void jwkSetWithASymmetricKey_isRejectedAsABadSet_notANullPointer() {
    assertThatThrownBy(() -> PublicKeyRing.fromJwkSet("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"k\",\"alg\":\"HS256\","
        + "\"k\":\"AAAA\"}]}"))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("no public form");
  }
}
