package dev.aura.token;

import dev.aura.spi.Role;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code aura mothership token issue} asks for: a subject, a role (default {@code member}), an expiry
 * (default 24h) and one-shot (the default) or a number of uses.
 *
 * <pre>{@code
 * JoinTokenRequest.forSubject("bob@acme.com").role(Role.ADMIN).expiresIn(TokenDuration.parse("1h")).build();
 * JoinTokenRequest.forSubject("team-onboarding").uses(20).expiresIn(TokenDuration.parse("72h")).build();
 * }</pre>
 *
 * @param subject the {@code sub} claim
 * @param role the {@code role} claim
 * @param expiresIn the lifetime
 * @param uses how many joins it allows; 1 means one-shot
 */
public record JoinTokenRequest(String subject, Role role, TokenDuration expiresIn, int uses) {
  /** The default lifetime of a join token. */
  public static final TokenDuration DEFAULT_EXPIRY = new TokenDuration(Duration.ofHours(24));

  /** Checks the values; see {@link Builder#build()}. */
  public JoinTokenRequest {
    checkSubject(subject);
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(expiresIn, "expiresIn");
    if (uses < 1) {
      throw new IllegalArgumentException("--uses must be at least 1, got " + uses);
    }
  }

  /** @return whether the token is consumed on first use */
  public boolean oneShot() {
    return uses == 1;
  }

  /** Starts a request for a subject. */
  public static Builder forSubject(String subject) {
    return new Builder(subject);
  }

  static void checkSubject(String subject) {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("--for is required: the subject cannot be empty");
    }
    if (subject.length() > 320) {
      throw new IllegalArgumentException("--for is longer than 320 characters");
    }
    for (int i = 0; i < subject.length(); i++) {
      char c = subject.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isWhitespace(c)) {
        throw new IllegalArgumentException("--for must not contain whitespace or control characters");
      }
    }
  }

  /** Builds a {@link JoinTokenRequest}; each setting may be given once. */
  public static final class Builder {
    private final String subject;
    private Role role;
    private TokenDuration expiresIn;
    private Integer uses;
    private boolean explicitOneShot;

    private Builder(String subject) {
      this.subject = subject;
    }

    /** The role; default {@link Role#MEMBER}. */
    public Builder role(Role value) {
      if (role != null) {
        throw new IllegalStateException("role was already set");
      }
      role = Objects.requireNonNull(value, "role");
      return this;
    }

    /** The lifetime; default 24h. */
    public Builder expiresIn(TokenDuration value) {
      if (expiresIn != null) {
        throw new IllegalStateException("expiresIn was already set");
      }
      expiresIn = Objects.requireNonNull(value, "expiresIn");
      return this;
    }

    /** Explicitly one-shot (the default). Contradicts {@code uses(n)} with n > 1. */
    public Builder oneShot() {
      explicitOneShot = true;
      return this;
    }

    /** How many joins the token allows; n > 1 makes a multi-use token. */
    public Builder uses(int n) {
      if (uses != null) {
        throw new IllegalStateException("uses was already set");
      }
      uses = n;
      return this;
    }

    /**
     * @throws IllegalArgumentException for {@code uses < 1} or {@code uses > 1} with an explicit one-shot
     */
    public JoinTokenRequest build() {
      int n = uses == null ? 1 : uses;
      if (n < 1) {
        throw new IllegalArgumentException("--uses must be at least 1, got " + n);
      }
      if (n > 1 && explicitOneShot) {
        throw new IllegalArgumentException("--uses " + n + " contradicts --one-shot: a one-shot token has"
            + " exactly one use (drop --one-shot to issue a multi-use token)");
      }
      return new JoinTokenRequest(subject, role == null ? Role.MEMBER : role,
          expiresIn == null ? DEFAULT_EXPIRY : expiresIn, n);
    }
  }
}
