package dev.aura.tls;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aura.tls.internal.PemCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Coverage-guided fuzz tests of the TLS pinning parsers that read untrusted bytes (docs/security.md,
 * "Fuzzing"): a {@link TlsPinningException} or a success, never another exception. Regression corpus:
 * {@code src/test/resources/dev/aura/tls/TlsParsersFuzzTestInputs/<method>/}.
 *
 * <p>{@link #pinHandoverVerifySigned} reads {@code header-json LF payload-json}, replaces {@code X5C} with
 * certificate A (base64 DER), {@code FROM} with A's fingerprint and {@code TO} with B's, and signs with A's
 * key, so the fuzzer reaches the payload checks behind the signature. The clock stands at
 * {@link Fixtures#T0} + 100 days (epoch second 1785405600).
 */
class TlsParsersFuzzTest {
  private static final TlsIdentity A = Fixtures.identity("mothership-a");
  private static final TlsIdentity B = Fixtures.identity("mothership-b");
  private static final PinSet PINNED_TO_A = PinSet.of(A.fingerprint());
  private static final Clock CLOCK = Fixtures.fixed(Fixtures.T0.plus(Duration.ofDays(100)));

  @FuzzTest(maxDuration = "2m")
  void pinHandoverVerify(byte[] data) {
    verify(new String(data, StandardCharsets.UTF_8));
  }

  @FuzzTest(maxDuration = "2m")
  void pinHandoverVerifySigned(byte[] data) throws Exception {
    String text = new String(data, StandardCharsets.UTF_8);
    int lf = text.indexOf('\n');
    if (lf < 0) {
      return;
    }
    verify(signedByA(text.substring(0, lf), text.substring(lf + 1)));
  }

  @FuzzTest(maxDuration = "2m")
  void pemCertificates(byte[] data) {
    try {
      PemCodec.decodeCertificates(data, "fuzz.pem");
    } catch (TlsPinningException expected) {
      // typed rejection
    }
  }

  @FuzzTest(maxDuration = "2m")
  void pemPrivateKey(byte[] data) {
    try {
      PemCodec.decodePrivateKey(data, "fuzz.key");
    } catch (TlsPinningException expected) {
      // typed rejection
    }
  }

  /** The file path PemFiles takes: bounded read, then the same decoding. */
  @FuzzTest(maxDuration = "2m")
  void pemFilesReadCertificateChain(byte[] data) throws Exception {
    Path file = Files.createTempFile("aura-fuzz", ".pem");
    try {
      Files.write(file, data);
      PemFiles.readCertificateChain(file);
    } catch (TlsPinningException expected) {
      // typed rejection
    } finally {
      Files.delete(file);
    }
  }

  private static void verify(String compact) {
    try {
      PinHandover.verify(compact, PINNED_TO_A, CLOCK);
    } catch (TlsPinningException expected) {
      // typed rejection
    }
  }

  private static String signedByA(String header, String payload) throws GeneralSecurityException {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String h = header.replace("X5C", Base64.getEncoder().encodeToString(A.certificate().getEncoded()));
    String p = payload.replace("FROM", A.fingerprint().toString()).replace("TO", B.fingerprint().toString());
    String input = url.encodeToString(h.getBytes(StandardCharsets.UTF_8)) + "."
        + url.encodeToString(p.getBytes(StandardCharsets.UTF_8));
    Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
    signer.initSign(A.exportPrivateKey());
    signer.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + url.encodeToString(signer.sign());
  }
}
