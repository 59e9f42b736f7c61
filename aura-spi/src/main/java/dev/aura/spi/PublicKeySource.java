package dev.aura.spi;

/**
 * How a peer fetches its Mothership's public signing keys. Implemented by the embedding application over its
 * own (pinned) transport.
 *
 * <p><b>Thread safety:</b> implementations must be safe for concurrent use. <b>Nulls:</b> never returns null.
 */
public interface PublicKeySource {
  /**
   * @return the public keys as a JSON Web Key Set (RFC 7517 section 5), without private members
   * @throws TransportException if the Mothership could not be reached or refused
   */
  String fetchJwkSet() throws TransportException;
}
