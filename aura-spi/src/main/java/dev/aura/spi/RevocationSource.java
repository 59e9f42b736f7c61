package dev.aura.spi;

/**
 * How a peer fetches signed revocation updates from its Mothership. The library never opens a socket: the
 * embedding application implements this over its own transport.
 *
 * <p><b>Thread safety:</b> implementations must be safe for concurrent use. <b>Nulls:</b> never returns null.
 */
public interface RevocationSource {
  /**
   * Fetches the changes after a version, as a signed revocation delta (a compact JWS of the revocation
   * type); the caller verifies it before use.
   *
   * @param afterVersion the version the peer holds, 0 for a full snapshot
   * @return the compact JWS
   * @throws TransportException if the Mothership could not be reached or refused
   */
  String fetchSince(long afterVersion) throws TransportException;
}
