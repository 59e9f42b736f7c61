package dev.aura.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.aura.token.internal.JwsKey;
import dev.aura.token.internal.JwsKeys;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of a Mothership's public signing keys, each bound to one algorithm and, once retired,
 * to the instant it stops verifying. This is what validators use, and what a peer holds to verify signed
 * revocation lists while its Mothership is down.
 *
 * <pre>{@code
 * PublicKeyRing keys = keyRing.publicKeys();              // on the Mothership
 * String published = keys.toJwkSetJson();                 // served to peers
 * PublicKeyRing onPeer = PublicKeyRing.fromJwkSet(published);
 * }</pre>
 *
 * <p>A retired key's retire time travels as the JWK {@code exp} member.
 */
public final class PublicKeyRing {
  /**
   * What a ring says about one key.
   *
   * @param kid the key id
   * @param algorithm the algorithm bound to it
   * @param retireAt the first instant it no longer verifies, or null while it is current
   */
  public record KeyInfo(String kid, SigningAlgorithm algorithm, Instant retireAt) {
    /** Checks nulls. */
    public KeyInfo {
      Objects.requireNonNull(kid, "kid");
      Objects.requireNonNull(algorithm, "algorithm");
    }

    /** @return whether this key verifies at {@code now} */
    public boolean verifiesAt(Instant now) {
      return retireAt == null || now.isBefore(retireAt);
    }
  }

  record Entry(KeyInfo info, JwsKey key) {}

  private final Map<String, Entry> byKid;

  PublicKeyRing(List<Entry> entries) {
    Map<String, Entry> map = new LinkedHashMap<>();
    for (Entry e : entries) {
      if (map.put(e.info().kid(), e) != null) {
        throw new IllegalArgumentException("duplicate kid " + e.info().kid());
      }
    }
    if (map.isEmpty()) {
      throw new IllegalArgumentException("a key ring needs at least one key");
    }
    this.byKid = Collections.unmodifiableMap(map);
  }

  /**
   * Reads a JWK Set (RFC 7517 section 5) as published by {@link #toJwkSetJson()}. Private members are
   * dropped. Every key needs {@code kid} and {@code alg}.
   *
   * @throws IllegalArgumentException naming what is wrong, without echoing key material
   */
  public static PublicKeyRing fromJwkSet(String json) {
    JWKSet set;
    try {
      set = JWKSet.parse(json);
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a JWK set");
    }
    List<Entry> entries = new ArrayList<>();
    for (JWK jwk : set.getKeys()) {
      JWK pub = jwk.toPublicJWK();
      if (pub == null) {
        throw new IllegalArgumentException("key type " + jwk.getKeyType() + " has no public form");
      }
      if (pub.getKeyID() == null || pub.getAlgorithm() == null) {
        throw new IllegalArgumentException("every key in the set needs kid and alg");
      }
      SigningAlgorithm algorithm = SigningAlgorithm.parse(pub.getAlgorithm().getName());
      Date exp = pub.getExpirationTime();
      entries.add(new Entry(new KeyInfo(pub.getKeyID(), algorithm, exp == null ? null : exp.toInstant()),
          JwsKeys.fromJwk(algorithm.jwsName(), pub)));
    }
    return new PublicKeyRing(entries);
  }

  /** @return the keys as a public JWK Set, with retire times as {@code exp} */
  public String toJwkSetJson() {
    List<JWK> jwks = new ArrayList<>();
    for (Entry e : byKid.values()) {
      JWK pub = e.key().publicJwk();
      if (e.info().retireAt() != null) {
        try {
          Map<String, Object> members = new LinkedHashMap<>(pub.toJSONObject());
          members.put("exp", e.info().retireAt().getEpochSecond());
          pub = JWK.parse(members);
        } catch (ParseException ex) {
          throw new IllegalStateException("cannot annotate key " + e.info().kid(), ex);
        }
      }
      jwks.add(pub);
    }
    return new JWKSet(jwks).toString(true);
  }

  /** @return every key, in ring order */
  public List<KeyInfo> keys() {
    List<KeyInfo> out = new ArrayList<>();
    byKid.values().forEach(e -> out.add(e.info()));
    return List.copyOf(out);
  }

  /** @return the key with that id, if the ring has it (whether or not it still verifies) */
  public Optional<KeyInfo> find(String kid) {
    Entry e = byKid.get(kid);
    return e == null ? Optional.empty() : Optional.of(e.info());
  }

  Entry entry(String kid) {
    return byKid.get(kid);
  }
}
