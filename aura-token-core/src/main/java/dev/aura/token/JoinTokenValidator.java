package dev.aura.token;

import dev.aura.spi.ConsumeOutcome;
import dev.aura.spi.Fingerprint;
import dev.aura.spi.Jti;
import dev.aura.spi.MothershipId;
import dev.aura.spi.Role;
import dev.aura.spi.SecretHash;
import dev.aura.spi.StoreException;
import dev.aura.spi.TokenLedger;
import dev.aura.spi.WorkspaceName;
import dev.aura.token.internal.Settings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Validates join tokens. A validator with nothing configured refuses to build; every loosening is a named
 * method.
 *
 * <pre>{@code
 * JoinTokenValidator validator = JoinTokenValidator.builder()
 *     .mothershipId(MothershipId.parse("mship_7fcd21a9"))
 *     .keys(keyRing::publicKeys)
 *     .clock(Clock.systemUTC())
 *     .acceptedFingerprints(certificates::acceptableFingerprints)   // current + in grace
 *     .permitRoles(Role.MEMBER, Role.ADMIN, Role.READ_ONLY)
 *     .revocation(revocationList)                                   // or withoutRevocationCheck()
 *     .ledger(tokenLedger)
 *     .build();
 * VerifiedJoinToken joined = validator.admit(token);                // consumes one use
 * }</pre>
 *
 * <p>Checks, in order; the first that fails decides the {@link RejectionReason}:
 *
 * <ol>
 *   <li>strict pre-parse, algorithm bound to {@code kid}, exact-length signature, {@code typ}: see
 *       {@link TypedJws#verify};
 *   <li>claims (RFC 7519 section 4.1): all of {@code iss sub aud iat exp jti role one_shot tls_fingerprint}
 *       present with the right JSON types, and the payload is UTF-8 without a byte order mark (RFC 8259
 *       section 8.1); {@code sub} neither blank nor holding a control character; {@code workspaces}, if
 *       present, a non-empty array of at most 32 distinct workspace names; {@code aud} is {@code aura-peer};
 *       {@code iss} is this Mothership;
 *       {@code exp} has not passed — expired once {@code now >= exp + skew}; {@code iat} and {@code nbf} are
 *       not after {@code now + skew}; {@code exp - iat} is at most {@code jwt.max_expiry};
 *   <li>{@code tls_fingerprint} is one the caller accepts now (the current certificate or one in grace);
 *   <li>{@code role} is permitted;
 *   <li>not revoked;
 *   <li>({@link #admit} and {@link #consume} only) one use consumed in the ledger.
 * </ol>
 *
 * <p>Thread-safe and immutable.
 */
public final class JoinTokenValidator {
  /** The default allowed clock skew. */
  public static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);
  /** The largest clock skew that may be configured. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private final MothershipId mothershipId;
  private final Supplier<PublicKeyRing> keys;
  private final Clock clock;
  private final Duration skew;
  private final Duration maxExpiry;
  private final Supplier<Set<Fingerprint>> acceptedFingerprints;
  private final Set<Role> permittedRoles;
  private final RevocationCheck revocation;
  private final TokenLedger ledger;
  private final Set<SigningAlgorithm> algorithms;

  private JoinTokenValidator(Builder b) {
    this.mothershipId = b.mothershipId;
    this.keys = b.keys;
    this.clock = b.clock;
    this.skew = b.skew == null ? DEFAULT_SKEW : b.skew;
    this.maxExpiry = b.maxExpiry == null ? JoinTokenIssuer.DEFAULT_MAX_EXPIRY.value() : b.maxExpiry.value();
    this.acceptedFingerprints = b.acceptedFingerprints;
    this.permittedRoles = Set.copyOf(b.permittedRoles);
    this.revocation = b.revocation;
    this.ledger = b.ledger;
    this.algorithms = Set.copyOf(b.algorithms);
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the allowed clock skew */
  public Duration clockSkew() {
    return skew;
  }

  /**
   * Runs every check but consumption. For inspection ({@code token decode} on the Mothership host), and as
   * the first half of a join that {@link #consume}s inside a store's unit of work.
   *
   * @throws TokenRejectedException with the first failed check's reason
   */
  public VerifiedJoinToken verify(String token) throws TokenRejectedException {
    Instant now = clock.instant();
    VerifiedJws jws = TypedJws.verify(token, TokenType.JOIN, keys.get(), algorithms, now);
    VerifiedJoinToken verified = checkClaims(jws, now, token);
    Set<Fingerprint> accepted = acceptedFingerprints.get();
    if (!accepted.contains(verified.fingerprint())) {
      StringJoiner names = new StringJoiner(", ");
      accepted.forEach(f -> names.add(f.toString()));
      throw new TokenRejectedException(RejectionReason.TLS_FINGERPRINT_MISMATCH, "token pins "
          + verified.fingerprint() + ", this Mothership presents " + (accepted.isEmpty() ? "none" : names));
    }
    if (!permittedRoles.contains(verified.role())) {
      StringJoiner names = new StringJoiner(", ");
      for (Role r : Role.values()) {
        if (permittedRoles.contains(r)) {
          names.add(r.wireName());
        }
      }
      throw new TokenRejectedException(RejectionReason.ROLE_NOT_PERMITTED,
          "role " + verified.role() + " is not permitted here (permitted: " + names + ")");
    }
    Optional<String> revoked = revocation.revocationOf(verified);
    if (revoked.isPresent()) {
      throw new TokenRejectedException(RejectionReason.REVOKED, revoked.get());
    }
    return verified;
  }

  /**
   * Runs every check and consumes one use in the ledger: the join.
   *
   * @throws TokenRejectedException with the first failed check's reason; nothing was consumed
   * @throws StoreException if the ledger failed; nothing was consumed
   * @throws IllegalStateException if no ledger was configured
   */
  public VerifiedJoinToken admit(String token) throws TokenRejectedException, StoreException {
    return consume(verify(token));
  }

  /**
   * Consumes one use of a token {@link #verify} accepted: the ledger half of {@link #admit}, for a caller
   * that verifies before it opens a unit of work, so the signature check does not run inside it (on SQLite
   * units run one at a time under the writer lock). The revocation check runs again, so a revocation
   * published since the verification still refuses the token.
   *
   * <pre>{@code
   * VerifiedJoinToken presented = validator.verify(token);               // outside the unit
   * units.inTransaction(() -> register(validator.consume(presented)));   // the ledger's write inside
   * }</pre>
   *
   * @throws TokenRejectedException {@code REVOKED}, {@code ALREADY_USED}, {@code EXPIRED} or
   *     {@code UNKNOWN_TOKEN}; nothing was consumed
   * @throws StoreException if the ledger failed; nothing was consumed
   * @throws IllegalStateException if no ledger was configured
   * @throws IllegalArgumentException if {@code verified} was already consumed, or not verified by a validator
   *     of this Mothership
   */
  public VerifiedJoinToken consume(VerifiedJoinToken verified) throws TokenRejectedException, StoreException {
    if (ledger == null) {
      throw new IllegalStateException("admit() needs a ledger: configure ledger(...)");
    }
    if (verified.consumed() || verified.tokenHash() == null || !mothershipId.equals(verified.issuer())) {
      throw new IllegalArgumentException("not a token this validator verified and nobody consumed: " + verified);
    }
    Optional<String> revoked = revocation.revocationOf(verified);
    if (revoked.isPresent()) {
      throw new TokenRejectedException(RejectionReason.REVOKED, revoked.get());
    }
    // The ledger judges expiry without skew; shifting "now" back by the skew gives the same rule as above.
    Instant ledgerNow = clock.instant().minus(skew);
    ConsumeOutcome outcome = ledger.consume(verified.jti(), verified.tokenHash(), ledgerNow);
    switch (outcome) {
      case CONSUMED:
        return verified.asConsumed();
      case ALREADY_USED:
        throw new TokenRejectedException(RejectionReason.ALREADY_USED, verified.oneShot()
            ? "one-shot token " + verified.jti() + " was already used"
            : "all " + verified.uses() + " uses of token " + verified.jti() + " were consumed");
      case EXPIRED:
        throw new TokenRejectedException(RejectionReason.EXPIRED,
            "token " + verified.jti() + " expired at " + verified.expiresAt());
      case UNKNOWN:
      default:
        throw new TokenRejectedException(RejectionReason.UNKNOWN_TOKEN, "this Mothership has no record of "
            + verified.jti() + " (issued by another Mothership sharing the key, or the ledger was reset)");
    }
  }

  /** Like {@link #verify} but returns the outcome as a value. */
  public ValidationResult tryVerify(String token) {
    try {
      return ValidationResult.accepted(verify(token));
    } catch (TokenRejectedException e) {
      return ValidationResult.rejected(e);
    }
  }

  /**
   * Like {@link #admit} but returns the outcome as a value.
   *
   * @throws StoreException if the ledger failed
   */
  public ValidationResult tryAdmit(String token) throws StoreException {
    try {
      return ValidationResult.accepted(admit(token));
    } catch (TokenRejectedException e) {
      return ValidationResult.rejected(e);
    }
  }

  private VerifiedJoinToken checkClaims(VerifiedJws jws, Instant now, String token) throws TokenRejectedException {
    Claims c = jws.claims();
    String iss = c.string("iss");
    String sub = c.subject("sub");
    String aud = c.string("aud");
    Instant iat = c.numericDate("iat");
    Instant exp = c.numericDate("exp");
    Optional<Instant> nbf = c.optionalNumericDate("nbf");
    Jti jti = parse("jti", () -> Jti.parse(c.string("jti")));
    Role role = parse("role", () -> Role.parse(c.string("role")));
    boolean oneShot = c.bool("one_shot");
    Optional<Long> uses = c.optionalInteger("uses");
    Fingerprint fingerprint = parse("tls_fingerprint", () -> Fingerprint.parse(c.string("tls_fingerprint")));
    Set<WorkspaceName> workspaces = workspaces(c);
    if (oneShot && uses.isPresent()) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "a one-shot token cannot carry 'uses'");
    }
    if (!oneShot && (uses.isEmpty() || uses.get() < 2 || uses.get() > Integer.MAX_VALUE)) {
      throw new TokenRejectedException(RejectionReason.MALFORMED,
          "a multi-use token needs 'uses' of at least 2");
    }
    if (!exp.isAfter(iat)) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "exp " + exp + " is not after iat " + iat);
    }
    if (!JoinTokenIssuer.AUDIENCE.equals(aud)) {
      throw new TokenRejectedException(RejectionReason.WRONG_AUDIENCE,
          "expected aura-peer, found '" + dev.aura.token.internal.StrictJson.printable(aud) + "'");
    }
    if (!mothershipId.value().equals(iss)) {
      throw new TokenRejectedException(RejectionReason.WRONG_ISSUER, "token was issued by '"
          + dev.aura.token.internal.StrictJson.printable(iss) + "', this Mothership is " + mothershipId);
    }
    checkTimes(iat, exp, nbf, now, skew, "this Mothership's clock");
    Duration lifetime = Duration.between(iat, exp);
    if (lifetime.compareTo(maxExpiry) > 0) {
      throw new TokenRejectedException(RejectionReason.LIFETIME_TOO_LONG, "token lives "
          + TokenDuration.of(lifetime) + ", jwt.max_expiry is " + TokenDuration.of(maxExpiry));
    }
    return new VerifiedJoinToken(jti, sub, role, mothershipId, iat, exp, oneShot ? 1 : uses.get().intValue(),
        fingerprint, jws.kid(), workspaces, false, SecretHash.of(token));
  }

  /** @return {@code value} if it is a clock skew one may configure: 0s to {@link #MAX_SKEW} */
  static Duration checkSkew(Duration value) {
    Objects.requireNonNull(value, "clockSkew");
    if (value.isNegative() || value.compareTo(MAX_SKEW) > 0) {
      throw new IllegalArgumentException("clock skew must be between 0s and " + MAX_SKEW.toSeconds()
          + "s, got " + value.toSeconds() + "s");
    }
    return value;
  }

  /**
   * The clock skew rule, shared by every token a verifier judges by time: expired once
   * {@code now >= exp + skew}; not yet valid while {@code iat} (or a later {@code nbf}) is after
   * {@code now + skew}.
   *
   * @param whoseClock names the verifier's clock in the message, such as {@code this Mothership's clock}
   */
  static void checkTimes(Instant iat, Instant exp, Optional<Instant> nbf, Instant now, Duration skew,
      String whoseClock) throws TokenRejectedException {
    if (!now.isBefore(exp.plus(skew))) {
      Duration late = Duration.between(exp, now);
      throw new TokenRejectedException(RejectionReason.EXPIRED, "expired at " + exp + ", "
          + seconds(late) + " ago (now " + now + ", allowed clock skew " + seconds(skew) + ")",
          late.negated());
    }
    Instant notBefore = nbf.filter(n -> n.isAfter(iat)).orElse(iat);
    if (notBefore.isAfter(now.plus(skew))) {
      Duration ahead = Duration.between(now, notBefore);
      String which = notBefore.equals(iat) ? "iat" : "nbf";
      throw new TokenRejectedException(RejectionReason.NOT_YET_VALID, which + " " + notBefore + " is "
          + seconds(ahead) + " ahead of " + whoseClock + " (" + now + "; allowed skew " + seconds(skew)
          + "): the clocks differ by about " + seconds(ahead) + "; check NTP", ahead);
    }
  }

  /**
   * The optional {@code workspaces} claim (a private claim, RFC 7519 section 4.3): absent means every
   * workspace; present, a non-empty array of at most {@value JoinTokenRequest#MAX_WORKSPACES} distinct
   * workspace names.
   */
  static Set<WorkspaceName> workspaces(Claims c) throws TokenRejectedException {
    Optional<List<?>> claim = c.optionalArray("workspaces");
    if (claim.isEmpty()) {
      return Set.of();
    }
    List<?> entries = claim.get();
    if (entries.isEmpty()) {
      throw new TokenRejectedException(RejectionReason.MALFORMED,
          "claim 'workspaces' is an empty array (a token for every workspace omits the claim)");
    }
    if (entries.size() > JoinTokenRequest.MAX_WORKSPACES) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "claim 'workspaces' names " + entries.size()
          + " workspaces, at most " + JoinTokenRequest.MAX_WORKSPACES);
    }
    Set<WorkspaceName> names = new LinkedHashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      Object entry = entries.get(i);
      if (!(entry instanceof String text)) {
        throw new TokenRejectedException(RejectionReason.MALFORMED, "claim 'workspaces' entry " + (i + 1)
            + " must be a string, found " + Claims.kindOf(entry));
      }
      WorkspaceName name = parse("workspaces", () -> WorkspaceName.parse(text));
      if (!names.add(name)) {
        throw new TokenRejectedException(RejectionReason.MALFORMED,
            "claim 'workspaces' names '" + name + "' twice");
      }
    }
    return JoinTokenRequest.sortedWorkspaces(names);
  }

  interface ClaimParser<T> {
    T parse() throws TokenRejectedException;
  }

  static <T> T parse(String claim, ClaimParser<T> parser) throws TokenRejectedException {
    try {
      return parser.parse();
    } catch (IllegalArgumentException e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "claim '" + claim + "': " + e.getMessage());
    }
  }

  static String seconds(Duration d) {
    return Math.abs(d.getSeconds()) + "s";
  }

  /** Configures a {@link JoinTokenValidator}. Each setting may be given once. */
  public static final class Builder {
    private MothershipId mothershipId;
    private Supplier<PublicKeyRing> keys;
    private Clock clock;
    private Duration skew;
    private TokenDuration maxExpiry;
    private Supplier<Set<Fingerprint>> acceptedFingerprints;
    private Set<Role> permittedRoles;
    private RevocationCheck revocation;
    private TokenLedger ledger;
    private final Set<SigningAlgorithm> algorithms = EnumSet.copyOf(TypedJws.DEFAULT_ALGORITHMS);

    private Builder() {}

    /** The expected {@code iss}. Required. */
    public Builder mothershipId(MothershipId value) {
      mothershipId = Settings.setOnce(mothershipId, value, "mothershipId");
      return this;
    }

    /** The keys tokens may be signed with, read on every validation (so rotations apply). Required. */
    public Builder keys(Supplier<PublicKeyRing> value) {
      keys = Settings.setOnce(keys, value, "keys");
      return this;
    }

    /** The clock for exp/iat/nbf and key retirement. Required. */
    public Builder clock(Clock value) {
      clock = Settings.setOnce(clock, value, "clock");
      return this;
    }

    /** Allowed clock skew; default 60s, at most 5 minutes. */
    public Builder clockSkew(Duration value) {
      skew = Settings.setOnce(skew, checkSkew(value), "clockSkew");
      return this;
    }

    /** {@code jwt.max_expiry}: the longest lifetime accepted; default 7d. */
    public Builder maxExpiry(TokenDuration value) {
      maxExpiry = Settings.setOnce(maxExpiry, value, "maxExpiry");
      return this;
    }

    /** The fingerprints a token may pin right now (current certificate, and ones in grace). Required. */
    public Builder acceptedFingerprints(Supplier<Set<Fingerprint>> value) {
      acceptedFingerprints = Settings.setOnce(acceptedFingerprints, value, "acceptedFingerprints");
      return this;
    }

    /** The roles that may join. Required, at least one. */
    public Builder permitRoles(Role... roles) {
      if (roles.length == 0) {
        throw new IllegalArgumentException("permit at least one role");
      }
      permittedRoles = Settings.setOnce(permittedRoles, EnumSet.of(roles[0], roles), "permitRoles");
      return this;
    }

    /** Consulted on every validation. This or {@link #withoutRevocationCheck()} is required. */
    public Builder revocation(RevocationCheck value) {
      revocation = Settings.setOnce(revocation, value, "revocation");
      return this;
    }

    /** The explicit decision to validate without any revocation list. */
    public Builder withoutRevocationCheck() {
      revocation = Settings.setOnce(revocation, RevocationCheck.none(), "revocation");
      return this;
    }

    /** The ledger {@link #admit} consumes uses in. Optional; without it only {@link #verify} works. */
    public Builder ledger(TokenLedger value) {
      ledger = Settings.setOnce(ledger, value, "ledger");
      return this;
    }

    /** Accepts RS256-signed tokens too (legacy integration). EdDSA and ES256 are accepted by default. */
    public Builder acceptRs256Legacy() {
      algorithms.add(SigningAlgorithm.RS256);
      return this;
    }

    /** @throws IllegalStateException naming the first missing setting */
    public JoinTokenValidator build() {
      Settings.requirePresent(mothershipId, "mothershipId");
      Settings.requirePresent(keys, "keys");
      Settings.requirePresent(clock, "clock");
      Settings.requirePresent(acceptedFingerprints, "acceptedFingerprints");
      if (permittedRoles == null) {
        throw new IllegalStateException("no role is permitted: call permitRoles(...)");
      }
      Settings.requireRevocationDecision(revocation);
      return new JoinTokenValidator(this);
    }
  }
}
