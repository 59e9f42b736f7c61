package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.Fingerprint;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The fingerprint forms this module accepts, through {@link Fingerprint#parse} from aura-spi. */
class FingerprintParsingTest {
  private static final String CANONICAL =
      "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89";
  private static final String LENGTH_MESSAGE =
      " (32 hex byte pairs separated by colons, as openssl x509 -fingerprint -sha256 prints)";

  @Test
  void parse_withCanonicalForm_roundTripsThroughToString() {
    assertThat(Fingerprint.parse(CANONICAL).toString()).isEqualTo(CANONICAL);
  }

  @Test
  void parse_withOpensslUpperCaseOutput_givesTheCanonicalForm() {
    String upper = CANONICAL.toUpperCase(Locale.ROOT);

    assertThat(Fingerprint.parse(upper).toString()).isEqualTo(CANONICAL);
    assertThat(Fingerprint.parse("SHA256 Fingerprint=" + upper).toString()).isEqualTo(CANONICAL);
    assertThat(Fingerprint.parse("sha256 Fingerprint=" + upper).toOpensslString()).isEqualTo(upper);
  }

  @Test
  void parse_ofACertificateFingerprint_equalsTheFingerprintOfTheCertificate() {
    TlsIdentity identity = Fixtures.identity();

    assertThat(Fingerprint.parse(identity.fingerprint().toOpensslString())).isEqualTo(identity.fingerprint());
  }

  @Test
  void parse_withTooShortInput_saysHowManyPairsItHas() {
    String shortInput = CANONICAL.substring(0, CANONICAL.length() - 3);

    assertThatThrownBy(() -> Fingerprint.parse(shortInput)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fingerprint has 92 characters (31 byte pairs), expected 95" + LENGTH_MESSAGE);
  }

  @Test
  void parse_withTooLongInput_saysHowManyPairsItHas() {
    assertThatThrownBy(() -> Fingerprint.parse(CANONICAL + ":00")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fingerprint has 98 characters (33 byte pairs), expected 95" + LENGTH_MESSAGE);
  }

  @Test
  void parse_withNonHexCharacters_namesThePosition() {
    String garbage = "zz" + CANONICAL.substring(2);

    assertThatThrownBy(() -> Fingerprint.parse(garbage)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fingerprint has a non-hex character in byte pair 1 at position 1");
  }

  @Test
  void parse_withSpacesInsteadOfColons_namesTheSeparator() {
    assertThatThrownBy(() -> Fingerprint.parse(CANONICAL.replace(':', ' ')))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fingerprint expects ':' at position 3, found ' '");
  }

  @Test
  void parse_withGarbageOrEmptyInput_isRefused() {
    assertThatThrownBy(() -> Fingerprint.parse("hello")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fingerprint has 5 characters (2 byte pairs), expected 95" + LENGTH_MESSAGE);
    assertThatThrownBy(() -> Fingerprint.parse("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fingerprint is empty");
  }
}
