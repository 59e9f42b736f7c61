package dev.aura.token;

import dev.aura.token.internal.Base64Url;
import dev.aura.token.internal.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes a token without verifying it, for {@code aura mothership token decode}: shows the header and
 * claims of whatever parts are readable, and lists what is wrong with the rest.
 *
 * <p><b>Warning:</b> nothing decoded here is verified. Never make a decision on it; use
 * {@link JoinTokenValidator}.
 */
public final class TokenDecoder {
  private TokenDecoder() {}

  /**
   * What could be read.
   *
   * @param header the header fields, if the header decoded and parsed
   * @param claims the claims, if the payload decoded and parsed
   * @param signatureLength the signature's length in bytes, or -1 if it did not decode
   * @param problems what could not be read, in order; empty if every part was readable
   */
  public record Decoded(
      Optional<Map<String, Object>> header,
      Optional<Map<String, Object>> claims,
      int signatureLength,
      List<String> problems) {
    /** @return always {@code false}: a decoded token is unverified */
    public boolean verified() {
      return false;
    }
  }

  /** Decodes as much of {@code token} as it can. Never throws for bad input. */
  public static Decoded decode(String token) {
    List<String> problems = new ArrayList<>();
    String trimmed = token == null ? "" : token.strip();
    if (trimmed.length() > 64 * 1024) {
      return new Decoded(Optional.empty(), Optional.empty(), -1, List.of("token is larger than 64 KiB"));
    }
    String[] parts = trimmed.split("\\.", -1);
    if (parts.length != 3) {
      problems.add("token has " + parts.length + " segments, expected 3");
    }
    Optional<Map<String, Object>> header = part(parts, 0, "header", problems);
    Optional<Map<String, Object>> claims = part(parts, 1, "payload", problems);
    int signatureLength = -1;
    if (parts.length > 2) {
      byte[] sig = Base64Url.decodeStrict(parts[2], 0, parts[2].length());
      if (sig == null) {
        problems.add("signature is not canonical base64url");
      } else {
        signatureLength = sig.length;
      }
    }
    return new Decoded(header, claims, signatureLength, List.copyOf(problems));
  }

  private static Optional<Map<String, Object>> part(String[] parts, int index, String name,
      List<String> problems) {
    if (parts.length <= index) {
      problems.add(name + " is missing");
      return Optional.empty();
    }
    String segment = parts[index];
    byte[] bytes = Base64Url.decodeStrict(segment, 0, segment.length());
    if (bytes == null) {
      try {
        bytes = java.util.Base64.getUrlDecoder().decode(segment.replace('+', '-').replace('/', '_')
            .replace("=", ""));
        problems.add(name + " is not canonical base64url (decoded leniently for display)");
      } catch (IllegalArgumentException e) {
        problems.add(name + " is not base64url");
        return Optional.empty();
      }
    }
    try {
      return Optional.of(StrictJson.parseObject(bytes));
    } catch (StrictJson.JsonRejected e) {
      problems.add(name + " " + e.getMessage());
      return Optional.empty();
    }
  }
}
