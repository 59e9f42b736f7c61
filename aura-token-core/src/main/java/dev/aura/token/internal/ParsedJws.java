package dev.aura.token.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A compact JWS that passed the strict pre-parse: three canonical base64url segments, a header with only
 * {@code alg}, {@code typ} and either {@code kid} ({@link Signer#KID}) or {@code x5c} ({@link Signer#X5C}).
 * The payload is decoded but not parsed: claims of an unauthenticated token are never interpreted.
 *
 * @param alg the header's {@code alg}
 * @param typ the header's {@code typ}, or null
 * @param kid the header's {@code kid}, or null under {@link Signer#X5C}
 * @param x5c the DER bytes of the header's one {@code x5c} certificate, or null under {@link Signer#KID}
 * @param signingInput the ASCII bytes of {@code header.payload}
 * @param payload the decoded payload bytes
 * @param signature the decoded signature bytes
 */
public record ParsedJws(
    String alg, String typ, String kid, byte[] x5c, byte[] signingInput, byte[] payload, byte[] signature) {

  /** How the header names the signer; the header allows exactly one of the two. */
  public enum Signer {
    /** {@code kid} (a string): a key of the ring. Headers: alg, typ, kid. */
    KID("kid"),
    /**
     * {@code x5c} (RFC 7515 section 4.1.6): an array of exactly one standard-base64 DER certificate, whose
     * key signed. Headers: alg, typ, x5c.
     */
    X5C("x5c");

    private final String member;

    Signer(String member) {
      this.member = member;
    }
  }

  /** Why a token failed the pre-parse. */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Runs the strict pre-parse. Nothing here does JSON beyond the header, or any cryptography.
   *
   * @param maxLength the longest token read at all, in characters
   */
  public static ParsedJws parse(String token, int maxLength) throws Malformed {
    return parse(token, maxLength, Signer.KID);
  }

  /**
   * Runs the strict pre-parse for a header that names its signer as {@code signer} says.
   *
   * @param maxLength the longest token read at all, in characters
   */
  public static ParsedJws parse(String token, int maxLength, Signer signer) throws Malformed {
    if (token == null || token.isEmpty()) {
      throw new Malformed("token is empty");
    }
    if (token.length() > maxLength) {
      throw new Malformed("token is " + token.length() + " characters, over the " + maxLength + " cap");
    }
    int firstDot = -1;
    int secondDot = -1;
    int dots = 0;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c == '.') {
        dots++;
        if (dots == 1) {
          firstDot = i;
        } else if (dots == 2) {
          secondDot = i;
        }
      } else if (!Base64Url.isAlphabet(c)) {
        throw new Malformed(describeBadCharacter(c, i));
      }
    }
    if (dots != 2) {
      throw new Malformed("token has " + (dots + 1) + " segments, expected 3 (header.payload.signature)");
    }
    if (firstDot == 0 || secondDot == firstDot + 1 || secondDot == token.length() - 1) {
      String which = firstDot == 0 ? "header" : secondDot == firstDot + 1 ? "payload" : "signature";
      throw new Malformed("token's " + which + " segment is empty");
    }
    byte[] header = Base64Url.decodeStrict(token, 0, firstDot);
    byte[] payload = Base64Url.decodeStrict(token, firstDot + 1, secondDot);
    byte[] signature = Base64Url.decodeStrict(token, secondDot + 1, token.length());
    if (header == null || payload == null || signature == null) {
      String which = header == null ? "header" : payload == null ? "payload" : "signature";
      throw new Malformed("token's " + which + " segment is not canonical base64url");
    }
    Map<String, Object> fields;
    try {
      fields = StrictJson.parseObject(header);
    } catch (StrictJson.JsonRejected e) {
      throw new Malformed("token header " + e.getMessage());
    }
    String alg = null;
    String typ = null;
    String kid = null;
    byte[] x5c = null;
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      String name = field.getKey();
      if (!(name.equals("alg") || name.equals("typ") || name.equals(signer.member))) {
        throw new Malformed("header parameter '" + StrictJson.printable(name)
            + "' is not allowed (only alg, typ and " + signer.member + ")");
      }
      if (name.equals("x5c")) {
        x5c = certificate(field.getValue());
        continue;
      }
      if (!(field.getValue() instanceof String value)) {
        throw new Malformed("header parameter '" + name + "' must be a string");
      }
      switch (name) {
        case "alg" -> alg = value;
        case "typ" -> typ = value;
        default -> kid = value;
      }
    }
    if (alg == null) {
      throw new Malformed("header has no alg");
    }
    if (kid == null && x5c == null) {
      throw new Malformed("header has no " + signer.member);
    }
    byte[] signingInput = token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII);
    return new ParsedJws(alg, typ, kid, x5c, signingInput, payload, signature);
  }

  /** x5c: exactly one certificate, in canonical padded standard base64 (RFC 4648 section 4). */
  private static byte[] certificate(Object value) throws Malformed {
    if (!(value instanceof List<?> chain) || chain.size() != 1 || !(chain.get(0) instanceof String text)) {
      throw new Malformed("header parameter 'x5c' must be an array of exactly one certificate string");
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      der = null;
    }
    if (der == null || der.length == 0 || !Base64.getEncoder().encodeToString(der).equals(text)) {
      throw new Malformed("header parameter 'x5c' is not canonical standard base64 (RFC 7515 section 4.1.6)");
    }
    return der;
  }

  private static String describeBadCharacter(char c, int index) {
    String what;
    if (c == '=') {
      what = "padding '='";
    } else if (c == '+' || c == '/') {
      what = "'" + c + "' (standard base64, not base64url)";
    } else if (Character.isWhitespace(c)) {
      what = "whitespace";
    } else {
      what = c >= 0x20 && c < 0x7f ? "'" + c + "'" : "a non-ASCII or control character";
    }
    return "token contains " + what + " at position " + (index + 1);
  }
}
