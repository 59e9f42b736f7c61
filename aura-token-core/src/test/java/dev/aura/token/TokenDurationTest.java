package dev.aura.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenDurationTest {
  @ParameterizedTest
  @CsvSource({"30s,30", "5m,300", "1h,3600", "7d,604800", "72h,259200", "90m,5400"})
  void parse_acceptsTheDocumentedForms_andRoundTrips(String text, long seconds) {
    TokenDuration d = TokenDuration.parse(text);

    assertThat(d.value()).isEqualTo(Duration.ofSeconds(seconds));
    assertThat(TokenDuration.parse(d.toString())).isEqualTo(d);
  }

  @ParameterizedTest
  @CsvSource({"60m,1h", "24h,1d", "120s,2m"})
  void toString_usesTheLargestExactUnit(String text, String canonical) {
    assertThat(TokenDuration.parse(text).toString()).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "m", "0s", "-5m", "5 m", "5M", "1.5h", "05m", "1w", "1h30m", "99999999999d"})
  void parse_refusesAnythingElse_namingTheInput(String text) {
    assertThatThrownBy(() -> TokenDuration.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration '" + text + "'");
  }
}
