package dev.aura.store.jdbc.internal;

import dev.aura.spi.Jti;
import dev.aura.spi.PeerId;
import dev.aura.spi.PeerRecord;
import dev.aura.spi.PeerStore;
import dev.aura.spi.Role;
import dev.aura.spi.StoreChange;
import dev.aura.spi.StoreException;
import dev.aura.spi.WorkspaceName;
import dev.aura.store.jdbc.JdbcStoreException;
import dev.aura.store.jdbc.database.SqlDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@link PeerStore} over JDBC: a peer row plus its announced addresses, replaced together in one
 * transaction (last writer wins) and read back with one statement, so a reader never sees half a save.
 * The workspaces a peer may use are one column (schema version 2): the names sorted and joined with
 * {@code ','}, or NULL for every workspace.
 */
public final class JdbcPeerStore implements PeerStore {
  private static final String SELECT = "SELECT p.peer_id, p.subject, p.role, p.joined_with, p.joined_at_s,"
      + " p.joined_at_n, p.last_seen_s, p.last_seen_n, p.workspaces, a.address FROM peers p"
      + " LEFT JOIN peer_addresses a ON a.peer_id = p.peer_id";

  private final SqlDatabase<JdbcStoreException> db;
  private final JdbcChangeFeed feed;

  JdbcPeerStore(SqlDatabase<JdbcStoreException> db, JdbcChangeFeed feed) {
    this.db = db;
    this.feed = feed;
  }

  @Override
  public void save(PeerRecord peer) throws StoreException {
    Objects.requireNonNull(peer, "peer");
    db.write("saving peer " + peer.id(), c -> {
      insert(c, peer, " ON CONFLICT (peer_id) DO UPDATE SET subject = excluded.subject, role = excluded.role,"
          + " joined_with = excluded.joined_with, joined_at_s = excluded.joined_at_s,"
          + " joined_at_n = excluded.joined_at_n, last_seen_s = excluded.last_seen_s,"
          + " last_seen_n = excluded.last_seen_n, workspaces = excluded.workspaces");
      try (PreparedStatement s = c.prepareStatement("DELETE FROM peer_addresses WHERE peer_id = ?")) {
        s.setString(1, peer.id().value());
        s.executeUpdate();
      }
      insertAddresses(c, peer);
      feed.inTransaction(c, new StoreChange(StoreChange.Topic.PEERS, 0));
      return null;
    });
    feed.afterCommit(new StoreChange(StoreChange.Topic.PEERS, 0));
  }

  /**
   * One {@code INSERT ... ON CONFLICT DO NOTHING}: on PostgreSQL an insert racing another unit's uncommitted
   * row of the same id waits for that unit, then inserts (it rolled back) or does nothing (it committed).
   */
  @Override
  public boolean create(PeerRecord peer) throws StoreException {
    Objects.requireNonNull(peer, "peer");
    boolean created = db.write("creating peer " + peer.id(), c -> {
      if (insert(c, peer, " ON CONFLICT (peer_id) DO NOTHING") == 0) {
        return false;
      }
      insertAddresses(c, peer);
      feed.inTransaction(c, new StoreChange(StoreChange.Topic.PEERS, 0));
      return true;
    });
    if (created) {
      feed.afterCommit(new StoreChange(StoreChange.Topic.PEERS, 0));
    }
    return created;
  }

  private static int insert(Connection c, PeerRecord peer, String onConflict) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO peers (peer_id, subject, role, joined_with,"
        + " joined_at_s, joined_at_n, last_seen_s, last_seen_n, workspaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + onConflict)) {
      s.setString(1, peer.id().value());
      s.setString(2, peer.subject());
      s.setString(3, peer.role().wireName());
      s.setString(4, peer.joinedWith().value());
      Instants.bind(s, 5, peer.joinedAt());
      Instants.bind(s, 7, peer.lastSeen());
      s.setString(9, writeWorkspaces(peer.workspaces()));
      return s.executeUpdate();
    }
  }

  private static void insertAddresses(Connection c, PeerRecord peer) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO peer_addresses (peer_id, ordinal, address) VALUES (?, ?, ?)")) {
      List<String> addresses = peer.announcedAddresses();
      for (int i = 0; i < addresses.size(); i++) {
        s.setString(1, peer.id().value());
        s.setInt(2, i);
        s.setString(3, addresses.get(i));
        s.executeUpdate();
      }
    }
  }

  /** One conditional {@code UPDATE} of the two columns, so a concurrent save of other fields is kept. */
  @Override
  public void recordSeen(PeerId id, Instant seenAt) throws StoreException {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(seenAt, "seenAt");
    db.write("recording that peer " + id + " was seen", c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE peers SET last_seen_s = ?, last_seen_n = ?"
          + " WHERE peer_id = ? AND (last_seen_s < ? OR (last_seen_s = ? AND last_seen_n < ?))")) {
        Instants.bind(s, 1, seenAt);
        s.setString(3, id.value());
        s.setLong(4, seenAt.getEpochSecond());
        s.setLong(5, seenAt.getEpochSecond());
        s.setInt(6, seenAt.getNano());
        s.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<PeerRecord> find(PeerId id) throws StoreException {
    Objects.requireNonNull(id, "id");
    return db.read("looking up peer " + id, c -> {
      try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE p.peer_id = ? ORDER BY a.ordinal")) {
        s.setString(1, id.value());
        List<PeerRecord> peers = peers(s);
        return peers.isEmpty() ? Optional.empty() : Optional.of(peers.get(0));
      }
    });
  }

  @Override
  public List<PeerRecord> list() throws StoreException {
    return db.read("listing peers", c -> {
      try (PreparedStatement s = c.prepareStatement(SELECT + " ORDER BY p.peer_id, a.ordinal")) {
        return peers(s);
      }
    });
  }

  /** Folds the joined rows (one per address, or one with a NULL address) into records. */
  private static List<PeerRecord> peers(PreparedStatement s) throws SQLException {
    List<PeerRecord> peers = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      String current = null;
      PeerRecord base = null;
      List<String> addresses = new ArrayList<>();
      while (rs.next()) {
        String id = rs.getString("peer_id");
        if (!id.equals(current)) {
          if (base != null) {
            peers.add(withAddresses(base, addresses));
          }
          current = id;
          addresses = new ArrayList<>();
          base = new PeerRecord(PeerId.parse(id), rs.getString("subject"), Role.parse(rs.getString("role")),
              Jti.parse(rs.getString("joined_with")), Instants.read(rs, "joined_at"),
              Instants.read(rs, "last_seen"), List.of(), readWorkspaces(rs.getString("workspaces")));
        }
        String address = rs.getString("address");
        if (address != null) {
          addresses.add(address);
        }
      }
      if (base != null) {
        peers.add(withAddresses(base, addresses));
      }
    }
    return List.copyOf(peers);
  }

  private static PeerRecord withAddresses(PeerRecord base, List<String> addresses) {
    return new PeerRecord(base.id(), base.subject(), base.role(), base.joinedWith(), base.joinedAt(),
        base.lastSeen(), addresses, base.workspaces());
  }

  /** @return the names joined with ',' in the record's (name) order, or null for every workspace */
  static String writeWorkspaces(Set<WorkspaceName> workspaces) {
    if (workspaces.isEmpty()) {
      return null;
    }
    StringJoiner joined = new StringJoiner(",");
    workspaces.forEach(w -> joined.add(w.value()));
    return joined.toString();
  }

  /** @return the workspaces of a column value; NULL (a version 1 row) or empty means every workspace */
  static Set<WorkspaceName> readWorkspaces(String column) {
    if (column == null || column.isEmpty()) {
      return Set.of();
    }
    Set<WorkspaceName> names = new LinkedHashSet<>();
    for (String name : column.split(",", -1)) {
      names.add(WorkspaceName.parse(name));
    }
    return names;
  }
}
