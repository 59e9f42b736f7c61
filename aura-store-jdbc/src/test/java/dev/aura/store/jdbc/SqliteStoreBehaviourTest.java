package dev.aura.store.jdbc;

import java.nio.file.Path;

/** {@link StoreBehaviourTest} on an SQLite file in a temp directory. */
class SqliteStoreBehaviourTest extends StoreBehaviourTest {
  @Override
  Backend newBackend(Path dir) {
    return Backend.sqlite(dir);
  }
}
