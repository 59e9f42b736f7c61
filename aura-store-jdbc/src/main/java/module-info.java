/**
 * SQLite and PostgreSQL implementations of every Aura storage SPI: {@code dev.aura.store.jdbc.JdbcStores}.
 *
 * <p>Everything public is in {@code dev.aura.store.jdbc}; {@code dev.aura.store.jdbc.internal} is not
 * exported. {@code dev.aura.store.jdbc.database} (opening and migrating a database) is exported only to the
 * sync engine, whose event log shares it. Flyway has no stable module name (it is an automatic module named after its jar, {@code flyway.core}).
 */
module dev.aura.store.jdbc {
  requires transitive dev.aura.spi;
  requires transitive java.sql;
  requires org.slf4j;
  requires com.zaxxer.hikari;
  requires org.postgresql.jdbc;
  requires flyway.core;

  exports dev.aura.store.jdbc;
  exports dev.aura.store.jdbc.database to dev.aura.sync;
}
