package dev.aura.oidc.internal;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import dev.aura.oidc.IdpException;
import dev.aura.oidc.IdpFetcher;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The IdP's key set, fetched from its {@code jwks_uri} on first use, kept, and fetched again when a token names
 * a key it lacks (the IdP rotated), at most once per {@code minRefreshInterval} so that forged {@code kid}s cannot
 * make the Mothership hammer the IdP. Keys only ever come from the {@code jwks_uri}, never from a token header.
 * Thread-safe.
 */
public final class KeyCache {
  private final URI jwksUri;
  private final IdpFetcher fetcher;
  private final Clock clock;
  private final Duration minRefreshInterval;
  private JWKSet keys;
  private Instant fetchedAt;

  /** A cache of the keys at {@code jwksUri}. */
  public KeyCache(URI jwksUri, IdpFetcher fetcher, Clock clock, Duration minRefreshInterval) {
    this.jwksUri = jwksUri;
    this.fetcher = fetcher;
    this.clock = clock;
    this.minRefreshInterval = minRefreshInterval;
  }

  /**
   * @return the published signing keys that match the header's {@code kid}, key type and algorithm; empty when
   *     none does even after a refresh
   * @throws IdpException when the key set cannot be fetched or parsed
   */
  public synchronized List<JWK> keysFor(JWSHeader header) throws IdpException {
    JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
    if (keys == null) {
      refresh();
    }
    List<JWK> found = selector.select(keys);
    if (found.isEmpty() && !clock.instant().isBefore(fetchedAt.plus(minRefreshInterval))) {
      refresh();
      found = selector.select(keys);
    }
    return found;
  }

  private void refresh() throws IdpException {
    String body;
    try {
      body = fetcher.fetch(jwksUri);
    } catch (IOException e) {
      throw new IdpException("cannot fetch the key set " + jwksUri + ": " + e.getMessage());
    }
    try {
      keys = JWKSet.parse(body).toPublicJWKSet();
    } catch (ParseException | RuntimeException e) {
      throw new IdpException("invalid key set at " + jwksUri + ": " + e.getMessage());
    }
    fetchedAt = clock.instant();
  }

  /** @return the kids of the keys held now, for messages */
  public synchronized List<String> kids() {
    return keys == null ? List.of() : keys.getKeys().stream().map(k -> String.valueOf(k.getKeyID())).toList();
  }

  /** @return the key set URL */
  public URI jwksUri() {
    return jwksUri;
  }
}
