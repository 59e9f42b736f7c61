package dev.aura.oidc;

import java.io.IOException;
import java.net.URI;

/**
 * How the library reads the identity provider's discovery document and key set: the embedding server's
 * HTTPS client, so that it decides trust, proxies, timeouts and threads. The library itself opens no socket.
 *
 * <p>Contract: {@link #fetch} is only called with {@code https} URIs; an implementation verifies the
 * server's certificate chain and host name (never a trust-all manager), follows no redirect to another
 * scheme, answers a non-2xx status with an {@link IOException}, and caps the body (a key set is a few KiB).
 * Thread-safe; may block up to its own timeout.
 */
@FunctionalInterface
public interface IdpFetcher {
  /**
   * Fetches a JSON document.
   *
   * @param uri an {@code https} URI
   * @return the body, never null
   * @throws IOException when the IdP cannot be reached or answers with an error
   */
  String fetch(URI uri) throws IOException;
}
