/**
 * The sync plane of the Aura product: events and their conflict rule, the peer's write-ahead log and work
 * tree, and the Mothership's event log and blob store. It asks the security library what a peer may do; it
 * decides nothing about access itself.
 */
module dev.aura.sync {
  requires transitive dev.aura.spi;
  requires com.fasterxml.jackson.databind;
  requires java.sql;
  requires org.slf4j;
  requires org.eclipse.jgit;
  // The Mothership's event log opens and migrates its database with the stores' shared code.
  requires dev.aura.store.jdbc;

  exports dev.aura.sync;
}
