package dev.aura.store.jdbc.internal;

import dev.aura.spi.InstanceRecord;
import dev.aura.spi.InstanceRegistry;
import dev.aura.spi.StoreException;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.database.SqlDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link InstanceRegistry} over JDBC: table {@code mothership_instances}, one row per instance, written with
 * an upsert ({@code INSERT ... ON CONFLICT DO UPDATE}, SQLite 3.24+ and PostgreSQL alike).
 */
public final class JdbcInstanceRegistry implements InstanceRegistry {
  private final SqlDatabase<JdbcStoreException> db;

  JdbcInstanceRegistry(SqlDatabase<JdbcStoreException> db) {
    this.db = db;
  }

  @Override
  public void heartbeat(InstanceRecord record) throws StoreException {
    Objects.requireNonNull(record, "record");
    db.write("recording the heartbeat of instance " + record.instanceId(), c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO mothership_instances (instance_id,"
          + " advertised_url, started_at_s, started_at_n, heartbeat_at_s, heartbeat_at_n, connected_peers,"
          + " version) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (instance_id) DO UPDATE SET"
          + " advertised_url = excluded.advertised_url, started_at_s = excluded.started_at_s,"
          + " started_at_n = excluded.started_at_n, heartbeat_at_s = excluded.heartbeat_at_s,"
          + " heartbeat_at_n = excluded.heartbeat_at_n, connected_peers = excluded.connected_peers,"
          + " version = excluded.version")) {
        s.setString(1, record.instanceId());
        s.setString(2, record.advertisedUrl());
        Instants.bind(s, 3, record.startedAt());
        Instants.bind(s, 5, record.heartbeatAt());
        s.setInt(7, record.connectedPeers());
        s.setString(8, record.version());
        s.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public List<InstanceRecord> list() throws StoreException {
    return db.read("listing the Mothership's instances", c -> {
      List<InstanceRecord> out = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT instance_id, advertised_url, started_at_s,"
          + " started_at_n, heartbeat_at_s, heartbeat_at_n, connected_peers, version FROM mothership_instances"
          + " ORDER BY started_at_s, started_at_n, instance_id"); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          try {
            out.add(new InstanceRecord(rs.getString("instance_id"), rs.getString("advertised_url"),
                Instants.read(rs, "started_at"), Instants.read(rs, "heartbeat_at"), rs.getInt("connected_peers"),
                rs.getString("version")));
          } catch (IllegalArgumentException e) {
            throw new SQLException("mothership_instances holds an invalid row: " + e.getMessage());
          }
        }
      }
      return out;
    });
  }

  @Override
  public void remove(String instanceId) throws StoreException {
    Objects.requireNonNull(instanceId, "instanceId");
    db.write("removing instance " + instanceId, c -> {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM mothership_instances WHERE instance_id = ?")) {
        s.setString(1, instanceId);
        s.executeUpdate();
      }
      return null;
    });
  }
}
