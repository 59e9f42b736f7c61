package dev.aura.app.protocol;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Bodies Jackson refuses without a location; found by {@link AppParsersFuzzTest} (corpus: long-number-no-location). */
class WireParseObjectTest {
  @Test
  void bodyWithANumberPastTheDigitLimit_isMalformedJson_notANullPointer() {
    String body = "8".repeat(68) + "00"; // 70 digits, over maxNumberLength(32)

    assertThatThrownBy(() -> Wire.parseObject(body))
        .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("malformed JSON");
  }
}
