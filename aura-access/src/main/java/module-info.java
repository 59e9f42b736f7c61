/**
 * Aura's access policy: whether a peer may push to, pull from or see a workspace, decided in one place from
 * its verified identity, the revocation list and the clock, and called by the Mothership on every event and
 * by peers on direct connections.
 */
module dev.aura.access {
  requires transitive dev.aura.spi;
  requires transitive dev.aura.token;

  exports dev.aura.access;
}
