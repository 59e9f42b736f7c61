package dev.aura.token;

import dev.aura.spi.Fingerprint;
import dev.aura.spi.Jti;
import dev.aura.spi.LedgerEntry;
import dev.aura.spi.MothershipId;
import dev.aura.spi.SecretHash;
import dev.aura.spi.StoreException;
import dev.aura.spi.TokenLedger;
import dev.aura.token.internal.Settings;
import dev.aura.token.internal.Ulid;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Issues join tokens: signs them with the key ring's primary key, records their jti, metadata and hash in the
 * ledger, and hands the token back once.
 *
 * <pre>{@code
 * JoinTokenIssuer issuer = JoinTokenIssuer.builder()
 *     .mothershipId(MothershipId.parse("mship_7fcd21a9"))
 *     .keyRing(ring)
 *     .ledger(ledger)
 *     .clock(Clock.systemUTC())
 *     .fingerprint(() -> currentCertificateFingerprint)
 *     .build();
 * IssuedJoinToken t = issuer.issue(JoinTokenRequest.forSubject("alice@acme.com").build());
 * }</pre>
 *
 * <p>Claims, as in the product's token anatomy: {@code iss, sub, aud ("aura-peer"), iat, exp, jti, role,
 * one_shot, tls_fingerprint}, plus {@code uses} on a multi-use token and {@code workspaces} (the names, sorted)
 * on a token restricted to workspaces. Header: {@code alg, typ, kid}.
 * Thread-safe.
 */
public final class JoinTokenIssuer {
  /** The audience of every join token. */
  public static final String AUDIENCE = "aura-peer";
  /** The default {@code jwt.max_expiry}. */
  public static final TokenDuration DEFAULT_MAX_EXPIRY = new TokenDuration(Duration.ofDays(7));

  private final MothershipId mothershipId;
  private final KeyRing keyRing;
  private final TokenLedger ledger;
  private final Clock clock;
  private final Supplier<Fingerprint> fingerprint;
  private final TokenDuration maxExpiry;
  private final SecureRandom random;

  private JoinTokenIssuer(Builder b) {
    this.mothershipId = b.mothershipId;
    this.keyRing = b.keyRing;
    this.ledger = b.ledger;
    this.clock = b.clock;
    this.fingerprint = b.fingerprint;
    this.maxExpiry = b.maxExpiry == null ? DEFAULT_MAX_EXPIRY : b.maxExpiry;
    this.random = b.random == null ? new SecureRandom() : b.random;
  }

  /** @return a builder; every setting but {@code maxExpiry} and {@code random} is required */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the configured {@code jwt.max_expiry} */
  public TokenDuration maxExpiry() {
    return maxExpiry;
  }

  /**
   * Issues one token: {@link #mint} and {@link #issue(Minted)}.
   *
   * @throws TokenIssuanceException if the expiry exceeds {@code jwt.max_expiry}
   * @throws StoreException if the ledger failed; then no token was handed out
   */
  public IssuedJoinToken issue(JoinTokenRequest request) throws TokenIssuanceException, StoreException {
    return issue(mint(request));
  }

  /**
   * Signs a token without recording it: the half of an issue that needs no store, so a caller can sign
   * before it opens a unit of work and keep the signature out of it (on SQLite units run one at a time under
   * the writer lock). The token is valid only once {@link #issue(Minted)} recorded it in the ledger.
   *
   * @throws TokenIssuanceException if the expiry exceeds {@code jwt.max_expiry}
   */
  public Minted mint(JoinTokenRequest request) throws TokenIssuanceException {
    checkExpiry(request.expiresIn());
    Instant now = clock.instant();
    Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
    Instant exp = iat.plus(request.expiresIn().value());
    Jti jti = new Jti(Jti.PREFIX + Ulid.next(now, random));
    Fingerprint pinned = Objects.requireNonNull(fingerprint.get(), "fingerprint supplier returned null");

    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", mothershipId.value());
    claims.put("sub", request.subject());
    claims.put("aud", AUDIENCE);
    claims.put("iat", iat.getEpochSecond());
    claims.put("exp", exp.getEpochSecond());
    claims.put("jti", jti.value());
    claims.put("role", request.role().wireName());
    claims.put("one_shot", request.oneShot());
    if (!request.oneShot()) {
      claims.put("uses", (long) request.uses());
    }
    claims.put("tls_fingerprint", pinned.toString());
    if (!request.workspaces().isEmpty()) {
      List<String> names = new ArrayList<>();
      request.workspaces().forEach(w -> names.add(w.value()));
      claims.put("workspaces", names);
    }
    String token = TypedJws.sign(keyRing, TokenType.JOIN, claims);
    LedgerEntry entry = LedgerEntry.issued(jti, request.subject(), request.role(), iat, exp, request.uses(),
        SecretHash.of(token));
    return new Minted(new IssuedJoinToken(token, jti, request.subject(), request.role(), iat, exp,
        request.uses(), pinned), entry);
  }

  /**
   * Records a {@link #mint}ed token in the ledger, which makes it valid.
   *
   * @throws StoreException if the ledger failed; then the token must not be handed out
   */
  public IssuedJoinToken issue(Minted minted) throws StoreException {
    if (!ledger.record(minted.entry)) {
      throw new IllegalStateException("jti collision: " + minted.issued.jti());
    }
    return minted.issued;
  }

  /** A token {@link #mint}ed and not yet recorded; its text is handed out only once recorded. */
  public static final class Minted {
    private final IssuedJoinToken issued;
    private final LedgerEntry entry;

    private Minted(IssuedJoinToken issued, LedgerEntry entry) {
      this.issued = issued;
      this.entry = entry;
    }

    /** @return the token's id */
    public Jti jti() {
      return issued.jti();
    }

    @Override
    public String toString() {
      return "Minted[" + issued.jti() + " for " + issued.subject() + "]";
    }
  }

  /**
   * Issues one one-shot token per row of a validated bulk file, all with the same expiry. The file was
   * validated as a whole by {@link BulkIssuance#parse}, and the expiry is checked before the first token, so
   * a bad input issues nothing.
   *
   * @throws TokenIssuanceException if the expiry exceeds {@code jwt.max_expiry}
   * @throws StoreException if the ledger failed part-way; tokens issued before the failure stay valid
   */
  public List<IssuedJoinToken> issueBulk(List<BulkIssuance.Row> rows, TokenDuration expiresIn)
      throws TokenIssuanceException, StoreException {
    List<IssuedJoinToken> issued = new ArrayList<>(rows.size());
    for (Minted minted : mintBulk(rows, expiresIn)) {
      issued.add(issue(minted));
    }
    return List.copyOf(issued);
  }

  /**
   * Signs one one-shot token per row of a validated bulk file, recording none: {@link #mint} for a file,
   * each then recorded by {@link #issue(Minted)}.
   *
   * @throws TokenIssuanceException if the expiry exceeds {@code jwt.max_expiry}; nothing was signed
   */
  public List<Minted> mintBulk(List<BulkIssuance.Row> rows, TokenDuration expiresIn)
      throws TokenIssuanceException {
    checkExpiry(expiresIn);
    List<Minted> minted = new ArrayList<>(rows.size());
    for (BulkIssuance.Row row : rows) {
      minted.add(mint(JoinTokenRequest.forSubject(row.email()).role(row.role()).expiresIn(expiresIn).build()));
    }
    return List.copyOf(minted);
  }

  private void checkExpiry(TokenDuration expiresIn) throws TokenIssuanceException {
    if (expiresIn.compareTo(maxExpiry) > 0) {
      throw new TokenIssuanceException("--expires-in " + expiresIn + " exceeds jwt.max_expiry (" + maxExpiry
          + "); issue a shorter token or raise [jwt] max_expiry in the config");
    }
  }

  /** Configures a {@link JoinTokenIssuer}. */
  public static final class Builder {
    private MothershipId mothershipId;
    private KeyRing keyRing;
    private TokenLedger ledger;
    private Clock clock;
    private Supplier<Fingerprint> fingerprint;
    private TokenDuration maxExpiry;
    private SecureRandom random;

    private Builder() {}

    /** The {@code iss} of every token. Required. */
    public Builder mothershipId(MothershipId value) {
      mothershipId = Settings.setOnce(mothershipId, value, "mothershipId");
      return this;
    }

    /** Signs the tokens. Required. */
    public Builder keyRing(KeyRing value) {
      keyRing = Settings.setOnce(keyRing, value, "keyRing");
      return this;
    }

    /** Records each issued token. Required. */
    public Builder ledger(TokenLedger value) {
      ledger = Settings.setOnce(ledger, value, "ledger");
      return this;
    }

    /** Gives {@code iat}. Required. */
    public Builder clock(Clock value) {
      clock = Settings.setOnce(clock, value, "clock");
      return this;
    }

    /** The fingerprint of the certificate the Mothership presents now. Required. */
    public Builder fingerprint(Supplier<Fingerprint> value) {
      fingerprint = Settings.setOnce(fingerprint, value, "fingerprint");
      return this;
    }

    /** {@code jwt.max_expiry}; default 7d. */
    public Builder maxExpiry(TokenDuration value) {
      maxExpiry = Settings.setOnce(maxExpiry, value, "maxExpiry");
      return this;
    }

    /** Randomness for jtis; default a new {@link SecureRandom}. */
    public Builder random(SecureRandom value) {
      random = Settings.setOnce(random, value, "random");
      return this;
    }

    /** @throws IllegalStateException naming the first missing setting */
    public JoinTokenIssuer build() {
      Settings.requirePresent(mothershipId, "mothershipId");
      Settings.requirePresent(keyRing, "keyRing");
      Settings.requirePresent(ledger, "ledger");
      Settings.requirePresent(clock, "clock");
      Settings.requirePresent(fingerprint, "fingerprint");
      return new JoinTokenIssuer(this);
    }
  }
}
