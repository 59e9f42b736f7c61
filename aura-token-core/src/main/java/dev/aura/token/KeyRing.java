package dev.aura.token;

import dev.aura.spi.SecretBytes;
import dev.aura.spi.SigningKeyStore;
import dev.aura.spi.StoreException;
import dev.aura.spi.StoredSigningKey;
import dev.aura.spi.StoredSigningKey.KeyStatus;
import dev.aura.token.internal.Base64Url;
import dev.aura.token.internal.JwsKey;
import dev.aura.token.internal.JwsKeys;
import dev.aura.token.internal.Settings;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mothership's signing key ring: one primary key signs; retired keys keep verifying until their grace
 * ends (default 24 hours, {@code [jwt] key_rotation_grace}). Persisted through a {@link SigningKeyStore}.
 *
 * <pre>{@code
 * KeyRing ring = KeyRing.builder()
 *     .store(signingKeyStore)
 *     .clock(Clock.systemUTC())
 *     .algorithm(SigningAlgorithm.EDDSA)        // the default; ES256 for FIPS
 *     .rotationGrace(Duration.ofHours(24))
 *     .open();                                  // loads, or generates the first key
 * ring.rotate();                                // aura mothership rotate-key
 * }</pre>
 *
 * <p>If the configured algorithm differs from the stored primary's, {@code open()} rotates to a new key of
 * the configured algorithm, keeping the old one in grace.
 *
 * <p><b>Warning:</b> private keys never leave the ring except through {@link #exportPrivateJwk(String)}, the
 * one explicit export (for backups). Thread-safe: readers see an immutable snapshot; rotations are
 * serialised.
 */
public final class KeyRing {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);

  private record Slot(StoredSigningKey stored, JwsKey key) {}

  private record State(List<Slot> slots, Slot primary, PublicKeyRing publicKeys) {}

  private final SigningKeyStore store;
  private final Clock clock;
  private final SigningAlgorithm algorithm;
  private final Duration grace;
  private final SecureRandom random;
  private volatile State state;

  private KeyRing(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.algorithm = b.algorithm;
    this.grace = b.grace;
    this.random = b.random;
  }

  /** @return a builder; {@code store} and {@code clock} are required */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures and opens a {@link KeyRing}. */
  public static final class Builder {
    private SigningKeyStore store;
    private Clock clock;
    private SigningAlgorithm algorithm;
    private Duration grace;
    private boolean rs256Allowed;
    private SecureRandom random;

    private Builder() {}

    /** The store the ring persists to. Required. */
    public Builder store(SigningKeyStore value) {
      store = Settings.setOnce(store, value, "store");
      return this;
    }

    /** The clock for creation and retire times. Required. */
    public Builder clock(Clock value) {
      clock = Settings.setOnce(clock, value, "clock");
      return this;
    }

    /** The algorithm of new keys; default {@link SigningAlgorithm#EDDSA}. */
    public Builder algorithm(SigningAlgorithm value) {
      algorithm = Settings.setOnce(algorithm, value, "algorithm");
      return this;
    }

    /** How long a retired key keeps verifying; default 24 hours, at least 0, at most 30 days. */
    public Builder rotationGrace(Duration value) {
      Objects.requireNonNull(value, "rotationGrace");
      if (value.isNegative() || value.compareTo(Duration.ofDays(30)) > 0) {
        throw new IllegalArgumentException("key_rotation_grace must be between 0 and 30d, got " + value);
      }
      grace = Settings.setOnce(grace, value, "rotationGrace");
      return this;
    }

    /** Allows {@link SigningAlgorithm#RS256} as the configured algorithm, for legacy integration. */
    public Builder allowRs256Legacy() {
      rs256Allowed = true;
      return this;
    }

    /** The randomness for key generation; default a new {@link SecureRandom}. */
    public Builder random(SecureRandom value) {
      random = Settings.setOnce(random, value, "random");
      return this;
    }

    /**
     * Loads the ring, generating and persisting the first key if the store is empty.
     *
     * @throws IllegalStateException if a required setting is missing or RS256 is configured without the
     *     legacy flag
     * @throws StoreException if the store failed
     */
    public KeyRing open() throws StoreException {
      if (store == null || clock == null) {
        throw new IllegalStateException("KeyRing needs a store and a clock");
      }
      if (algorithm == null) {
        algorithm = SigningAlgorithm.EDDSA;
      }
      if (algorithm == SigningAlgorithm.RS256 && !rs256Allowed) {
        throw new IllegalStateException(
            "RS256 is only for legacy integration: call allowRs256Legacy() to enable it");
      }
      if (grace == null) {
        grace = Duration.ofHours(24);
      }
      if (random == null) {
        random = new SecureRandom();
      }
      KeyRing ring = new KeyRing(this);
      ring.load();
      return ring;
    }
  }

  private synchronized void load() throws StoreException {
    List<StoredSigningKey> stored = store.loadAll();
    if (stored.isEmpty()) {
      Instant now = clock.instant();
      Slot first = generate(now);
      store.saveAll(List.of(first.stored()));
      install(List.of(first));
      LOG.info("generated the first signing key kid={} alg={}", first.stored().kid(), algorithm);
      return;
    }
    install(slotsOf(stored));
    if (!state.primary().key().alg().equals(algorithm.jwsName())) {
      LOG.info("configured algorithm {} differs from the primary key's {}: rotating", algorithm,
          state.primary().key().alg());
      rotate();
    }
  }

  /**
   * Re-reads the ring from the store, for a Mothership sharing its store with others that may rotate.
   *
   * @throws StoreException if the store failed; the ring in memory is unchanged
   */
  public synchronized void reload() throws StoreException {
    List<StoredSigningKey> stored = store.loadAll();
    if (!stored.isEmpty()) {
      install(slotsOf(stored));
    }
  }

  private static List<Slot> slotsOf(List<StoredSigningKey> stored) {
    List<Slot> slots = new ArrayList<>();
    for (StoredSigningKey s : stored) {
      String jwk = s.privateJwkIfAny()
          .map(secret -> new String(secret.revealCopy(), StandardCharsets.UTF_8)).orElse(s.publicJwk());
      slots.add(new Slot(s, JwsKeys.fromJwk(s.algorithm(), jwk)));
    }
    return slots;
  }

  private void install(List<Slot> slots) {
    Slot primary = null;
    List<PublicKeyRing.Entry> entries = new ArrayList<>();
    for (Slot s : slots) {
      if (s.stored().status() == KeyStatus.PRIMARY) {
        if (primary != null) {
          throw new IllegalStateException("the stored key ring has two primary keys: "
              + primary.stored().kid() + " and " + s.stored().kid());
        }
        primary = s;
      }
      entries.add(new PublicKeyRing.Entry(new PublicKeyRing.KeyInfo(s.stored().kid(),
          SigningAlgorithm.parse(s.stored().algorithm()), s.stored().retireAt()), s.key()));
    }
    if (primary == null) {
      throw new IllegalStateException("the stored key ring has no primary key");
    }
    if (!primary.key().canSign()) {
      throw new IllegalStateException("the primary key " + primary.stored().kid() + " has no private key");
    }
    this.state = new State(List.copyOf(slots), primary, new PublicKeyRing(entries));
  }

  private Slot generate(Instant now) {
    JwsKey key = JwsKeys.generate(algorithm.jwsName(), random);
    StoredSigningKey stored = new StoredSigningKey(key.publicJwk().getKeyID(), algorithm.jwsName(),
        KeyStatus.PRIMARY, now, null, key.publicJwk().toJSONString(),
        SecretBytes.ofUtf8(key.privateJwk().toJSONString()));
    return new Slot(stored, key);
  }

  /**
   * Makes a new primary key and retires the current one at now plus the grace. Persisted atomically before
   * the new key signs anything.
   *
   * @return the new primary's kid
   * @throws StoreException if the store failed; then the ring is unchanged
   */
  public synchronized String rotate() throws StoreException {
    Instant now = clock.instant();
    State current = state;
    Slot next = generate(now);
    Slot retired = new Slot(current.primary().stored().retired(now.plus(grace)), current.primary().key());
    store.saveAll(List.of(retired.stored(), next.stored()));
    List<Slot> slots = new ArrayList<>();
    for (Slot s : current.slots()) {
      slots.add(s == current.primary() ? retired : s);
    }
    slots.add(next);
    install(slots);
    LOG.info("rotated signing key: new primary kid={}, previous kid={} verifies until {}",
        next.stored().kid(), retired.stored().kid(), retired.stored().retireAt());
    return next.stored().kid();
  }

  /** @return the public keys, for validators and for publishing to peers */
  public PublicKeyRing publicKeys() {
    return state.publicKeys();
  }

  /** @return the primary key's id */
  public String primaryKid() {
    return state.primary().stored().kid();
  }

  /** @return the primary key's algorithm */
  public SigningAlgorithm primaryAlgorithm() {
    return SigningAlgorithm.parse(state.primary().stored().algorithm());
  }

  /** @return the configured grace for retired keys */
  public Duration rotationGrace() {
    return grace;
  }

  /** @return every key with its status and retire time, without private material */
  public List<StoredSigningKey> describe() {
    List<StoredSigningKey> out = new ArrayList<>();
    for (Slot s : state.slots()) {
      StoredSigningKey k = s.stored();
      out.add(new StoredSigningKey(k.kid(), k.algorithm(), k.status(), k.createdAt(), k.retireAt(),
          k.publicJwk(), null));
    }
    return List.copyOf(out);
  }

  /**
   * Exports a private key as a JWK, for a backup. The one way a private key leaves the ring.
   *
   * <p><b>Warning:</b> the result is the raw private key. Write it only to an owner-only file.
   *
   * @throws IllegalArgumentException if the ring has no private key with that id
   */
  public SecretBytes exportPrivateJwk(String kid) {
    for (Slot s : state.slots()) {
      if (s.stored().kid().equals(kid) && s.key().canSign()) {
        return SecretBytes.ofUtf8(s.key().privateJwk().toJSONString());
      }
    }
    throw new IllegalArgumentException("no private key with kid " + kid);
  }

  /**
   * Signs a payload as a compact JWS of the given type with the primary key. Used by the issuer, refresh
   * credentials and signed revocation lists.
   *
   * @param type the {@code typ} header
   * @param payloadJson the payload, UTF-8 JSON
   * @return the compact JWS
   * @throws IllegalArgumentException for a type signed by certificate ({@link TokenType#PIN_HANDOVER})
   */
  public String sign(TokenType type, byte[] payloadJson) {
    if (type.certificateSigned()) {
      throw new IllegalArgumentException(type + " is signed by a certificate's key (x5c), not by the key"
          + " ring: use TypedJws.signWithCertificate");
    }
    Slot primary = state.primary();
    String header = "{\"alg\":\"" + primary.key().alg() + "\",\"typ\":\"" + type.typ() + "\",\"kid\":\""
        + primary.stored().kid() + "\"}";
    String signingInput = Base64Url.encode(header.getBytes(StandardCharsets.UTF_8)) + "."
        + Base64Url.encode(payloadJson);
    byte[] signature = primary.key().sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + Base64Url.encode(signature);
  }

  @Override
  public String toString() {
    return "KeyRing[primary=" + primaryKid() + ", alg=" + primaryAlgorithm() + ", keys="
        + state.slots().size() + "]";
  }
}
