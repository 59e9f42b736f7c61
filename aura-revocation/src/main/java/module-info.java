/**
 * The revocation list: revocations by jti, subject and peer id, versioned deltas, and signed snapshots that
 * peers verify and enforce while their Mothership is down.
 *
 * <p>Everything public is in {@code dev.aura.revocation}; {@code dev.aura.revocation.internal} is not
 * exported.
 */
module dev.aura.revocation {
  requires transitive dev.aura.token;
  requires transitive dev.aura.spi;
  requires org.slf4j;

  exports dev.aura.revocation;
}
