package dev.aura.token;

import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code aura mothership token issue} asks for: a subject, a role (default {@code member}), an expiry
 * (default 24h), one-shot (the default) or a number of uses, and optionally the workspaces the peer may use
 * (default: every workspace).
 *
 * <pre>{@code
 * JoinTokenRequest.forSubject("bob@acme.com").role(Role.ADMIN).expiresIn(TokenDuration.parse("1h")).build();
 * JoinTokenRequest.forSubject("team-onboarding").uses(20).expiresIn(TokenDuration.parse("72h")).build();
 * JoinTokenRequest.forSubject("carol@contractor.com").workspace(WorkspaceName.parse("widget")).build();
 * }</pre>
 *
 * @param subject the {@code sub} claim
 * @param role the {@code role} claim
 * @param expiresIn the lifetime
 * @param uses how many joins it allows; 1 means one-shot
 * @param workspaces the {@code workspaces} claim: the workspaces a peer joining with it may use, at most
 *     {@value #MAX_WORKSPACES}; empty means every workspace (the claim is then omitted). Iterates in name order
 */
public record JoinTokenRequest(String subject, Role role, TokenDuration expiresIn, int uses,
    Set<WorkspaceName> workspaces) {
  /** The default lifetime of a join token. */
  public static final TokenDuration DEFAULT_EXPIRY = new TokenDuration(Duration.ofHours(24));
  /** The most workspaces one token may name. */
  public static final int MAX_WORKSPACES = 32;

  /** Checks the values; see {@link Builder#build()}. */
  public JoinTokenRequest {
    checkSubject(subject);
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(expiresIn, "expiresIn");
    if (uses < 1) {
      throw new IllegalArgumentException("--uses must be at least 1, got " + uses);
    }
    workspaces = sortedWorkspaces(Objects.requireNonNull(workspaces, "workspaces"));
    if (workspaces.size() > MAX_WORKSPACES) {
      throw new IllegalArgumentException("--workspace is given " + workspaces.size() + " times; a token names at"
          + " most " + MAX_WORKSPACES + " workspaces (omit --workspace to allow every workspace)");
    }
  }

  /** A request that allows every workspace. */
  public JoinTokenRequest(String subject, Role role, TokenDuration expiresIn, int uses) {
    this(subject, role, expiresIn, uses, Set.of());
  }

  static Set<WorkspaceName> sortedWorkspaces(Set<WorkspaceName> names) {
    if (names.isEmpty()) {
      return Set.of();
    }
    List<WorkspaceName> list = new ArrayList<>(names.size());
    for (WorkspaceName name : names) {
      list.add(Objects.requireNonNull(name, "workspace name"));
    }
    list.sort(Comparator.comparing(WorkspaceName::value));
    return Collections.unmodifiableSet(new LinkedHashSet<>(list));
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
      if (isControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        throw new IllegalArgumentException("--for must not contain whitespace or control characters");
      }
    }
  }

  /**
   * Whether {@code c} is a control character a subject may not hold, here and in the validator: C0, DEL and
   * C1 controls (NUL, newline, escape, NEL...), the Unicode line and paragraph separators, and the bidi
   * controls that reorder how an audit line or a peer table reads.
   */
  static boolean isControl(char c) {
    return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u061c' || c == '\u200e'
        || c == '\u200f' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
  }

  /** Builds a {@link JoinTokenRequest}; each setting may be given once. */
  public static final class Builder {
    private final String subject;
    private Role role;
    private TokenDuration expiresIn;
    private Integer uses;
    private boolean explicitOneShot;
    private final Set<WorkspaceName> workspaces = new LinkedHashSet<>();

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
     * Restricts the token to a workspace; repeatable (at most {@value JoinTokenRequest#MAX_WORKSPACES}).
     * Without any, a peer joining with the token may use every workspace.
     *
     * @throws IllegalArgumentException if the workspace was already named
     */
    public Builder workspace(WorkspaceName value) {
      Objects.requireNonNull(value, "workspace");
      if (!workspaces.add(value)) {
        throw new IllegalArgumentException("--workspace " + value + " is given twice");
      }
      return this;
    }

    /**
     * Restricts the token to these workspaces, as {@link #workspace} for each; an empty set adds nothing.
     *
     * @throws IllegalArgumentException if one was already named
     */
    public Builder workspaces(Set<WorkspaceName> values) {
      Objects.requireNonNull(values, "workspaces");
      for (WorkspaceName value : values) {
        workspace(value);
      }
      return this;
    }

    /**
     * @throws IllegalArgumentException for {@code uses < 1}, {@code uses > 1} with an explicit one-shot, or
     *     more than {@value JoinTokenRequest#MAX_WORKSPACES} workspaces
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
          expiresIn == null ? DEFAULT_EXPIRY : expiresIn, n, workspaces);
    }
  }
}
