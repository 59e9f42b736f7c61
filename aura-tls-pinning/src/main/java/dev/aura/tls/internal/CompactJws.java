package dev.aura.tls.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * ES256 compact JWS (RFC 7515 section 7.1, RFC 7518 section 3.4) on the JDK's ECDSA: the signature is the
 * 64-byte R || S concatenation, every segment is canonical unpadded base64url.
 */
public final class CompactJws {
  /** Length of an ES256 signature: R and S, 32 bytes each (RFC 7518 section 3.4). */
  public static final int ES256_SIGNATURE_LENGTH = 64;
  private static final String ES256_JCA = "SHA256withECDSAinP1363Format";
  private static final Base64.Encoder URL_ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

  /** The three segments, still encoded, of a compact serialization. */
  public record Segments(String header, String payload, String signature) {
    /** @return the JWS signing input, {@code header.payload} in ASCII (RFC 7515 section 5.1) */
    public byte[] signingInput() {
      return (header + "." + payload).getBytes(StandardCharsets.US_ASCII);
    }
  }

  private CompactJws() {}

  /** @return {@code BASE64URL(header).BASE64URL(payload).BASE64URL(signature)} */
  public static String signEs256(String headerJson, String payloadJson, PrivateKey key) {
    String input = encode(headerJson.getBytes(StandardCharsets.US_ASCII)) + "."
        + encode(payloadJson.getBytes(StandardCharsets.US_ASCII));
    try {
      Signature signer = Signature.getInstance(ES256_JCA);
      signer.initSign(key);
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + encode(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with ES256 using this key", e);
    }
  }

  /** @return true when {@code signature} (64 bytes R || S) verifies over {@code signingInput} */
  public static boolean verifyEs256(PublicKey key, byte[] signingInput, byte[] signature) {
    if (signature.length != ES256_SIGNATURE_LENGTH) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(ES256_JCA);
      verifier.initVerify(key);
      verifier.update(signingInput);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * @return the segments of a string with exactly two dots
   * @throws IllegalArgumentException naming the segment count
   */
  public static Segments split(String compact) {
    int first = compact.indexOf('.');
    int second = first < 0 ? -1 : compact.indexOf('.', first + 1);
    if (first < 0 || second < 0 || compact.indexOf('.', second + 1) >= 0) {
      long segments = compact.chars().filter(c -> c == '.').count() + 1;
      throw new IllegalArgumentException("expected 3 dot-separated segments, got " + segments);
    }
    return new Segments(compact.substring(0, first), compact.substring(first + 1, second),
        compact.substring(second + 1));
  }

  /** @return unpadded base64url */
  public static String encode(byte[] bytes) {
    return URL_ENCODER.encodeToString(bytes);
  }

  /**
   * Decodes unpadded base64url and rejects any non-canonical form (padding, other alphabets, stray bits).
   *
   * @param what names the segment in messages
   * @throws IllegalArgumentException naming the segment
   */
  public static byte[] decodeCanonical(String segment, String what) {
    byte[] decoded;
    try {
      decoded = URL_DECODER.decode(segment);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not base64url");
    }
    if (segment.indexOf('=') >= 0 || !encode(decoded).equals(segment)) {
      throw new IllegalArgumentException(what + " is not canonical unpadded base64url");
    }
    return decoded;
  }
}
