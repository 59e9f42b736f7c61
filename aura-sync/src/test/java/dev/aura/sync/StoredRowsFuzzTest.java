package dev.aura.sync;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.internal.CorruptRowException;
import dev.aura.sync.internal.EventRows;
import dev.aura.sync.internal.PeerSql;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzz tests of the readers of rows as stored on disk (docs/security.md, "Fuzzing"): the peer's
 * sync.db ({@code wal}, {@code entry}, {@code binding}: a value or a {@link CorruptRowException}, which the
 * store reports as {@code SyncStoreException} CORRUPT) and the Mothership's {@code sync_events} and
 * {@code sync_path_heads} (a value or {@link EventLogException} CORRUPT); never another exception, and the
 * real row stored beside the corrupt one still reads back unchanged.
 *
 * <p>Input: a JSON object {@code {"table": ..., column: value, ...}} whose columns replace those of a real row
 * (numbers are stored as SQLite integers or reals, strings as text, {@code {"blob": "..."}} as a blob, null as
 * NULL: SQLite keeps whatever type a file holds). Regression corpus:
 * {@code src/test/resources/dev/aura/sync/StoredRowsFuzzTestInputs/<method>/}.
 */
class StoredRowsFuzzTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final WorkspaceName WS = WorkspaceName.parse("widget");
  private static final String HASH = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
  private static final SyncPath REAL_PATH = SyncPath.parse("notes/a.txt");
  private static final String REAL_DIR = "/home/alice/work";

  /** A binding, a WAL row and an index row as {@code Replica} writes them (content: "hello\n"). */
  private static final String PEER_ROWS = """
      {"binding":{"id":1,"directory":"/home/alice/work","workspace":"widget","peer":"peer_0000000a",
        "applied_seq":3,"next_local_seq":3,"last_ack_at":1796118313000,"created_at":1796118312000},
       "wal":{"binding_id":1,"local_seq":1,"path":"notes/a.txt","op":"PUT","kind":"FILE","hash":"%1$s",
        "size":6,"executable":0,"link_target":null,"based_on":0,"authored_at":"2026-12-01T09:45:12Z",
        "content":{"blob":"hello\\n"},"state":"PENDING","recorded_at":1796118312000,"refused_code":null,
        "refused_message":null,"refused_at":null,"kept_as":null},
       "entry":{"binding_id":1,"path":"notes/a.txt","base_seq":3,"acked_seq":0,"head_seq":3,
        "head_author":"peer_0000000b","head_local_seq":7,"head_op":"PUT","head_kind":"FILE","head_hash":"%1$s",
        "head_size":6,"head_executable":0,"head_link_target":null,"head_based_on":2,
        "head_authored_at":"2026-12-01T09:40:00Z","obs_kind":"FILE","obs_size":6,"obs_mtime_ns":1796118312000000000,
        "obs_executable":0,"obs_hash":"%1$s","obs_link_target":null,"obs_racy":0}}""".formatted(HASH);

  /** An event and its path head as the Mothership's {@code EventRows} writes them. */
  private static final String LOG_ROWS = """
      {"sync_events":{"workspace":"widget","seq":1,"event_id":"peer_0000000a.1","author":"peer_0000000a",
        "local_seq":1,"op":"PUT","path":"notes/a.txt","kind":"FILE","hash":"%1$s","size":6,"executable":0,
        "link_target":null,"based_on":0,"authored_at_s":1796118312,"authored_at_n":0,"outcome":"APPLIED",
        "conflict_of":null,"persisted_at_s":1796118313,"persisted_at_n":250000000},
       "sync_path_heads":{"workspace":"widget","path":"notes/a.txt","seq":1,"event_id":"peer_0000000a.1",
        "op":"PUT","kind":"FILE","hash":"%1$s","size":6,"executable":0,"link_target":null,"based_on":0,
        "authored_at_s":1796118312,"authored_at_n":0}}""".formatted(HASH);

  private static Connection peerDb;
  private static Connection logDb;

  /** A row of sync.db's {@code wal} (default), {@code entry} or {@code binding} table, read back. */
  @FuzzTest(maxDuration = "2m")
  void syncDbRowRead(byte[] data) throws Exception {
    ObjectNode input = object(data);
    if (input == null) {
      return;
    }
    Connection c = peerDb();
    PeerSql.begin(c, true);
    try {
      ObjectNode fuzzed = insertRows(c, PEER_ROWS, input, "wal", (table, row) -> {
        switch (table) {
          case "binding" -> row.put("id", 2).put("directory", "/home/alice/other");
          case "wal" -> row.put("local_seq", 2);
          default -> row.put("path", "notes/b.txt");
        }
      });
      if (fuzzed == null) {
        return;
      }
      readPeerRows(c, fuzzed);
      // the real rows beside it are untouched and still read back
      if (PeerSql.walRow(c, 1, 1).orElseThrow().change().hash() == null
          || PeerSql.entry(c, 1, REAL_PATH).head() == null
          || PeerSql.binding(c, REAL_DIR).orElseThrow().appliedSeq() != 3) {
        throw new AssertionError("a real row changed beside " + fuzzed);
      }
    } finally {
      PeerSql.rollback(c);
    }
  }

  private static void readPeerRows(Connection c, ObjectNode fuzzed) throws SQLException, EventLogException {
    List<Read> reads = List.of(
        () -> PeerSql.walRows(c, 1, "PENDING", 10),
        () -> PeerSql.walRows(c, 1, "REFUSED", 10),
        () -> PeerSql.walRow(c, 1, fuzzed.path("local_seq").asLong(2)),
        () -> PeerSql.unresolvedRows(c, 1, REAL_PATH),
        () -> PeerSql.walStats(c, 1),
        () -> PeerSql.content(c, 1, ContentHash.parse(HASH)),
        () -> PeerSql.entries(c, 1),
        () -> PeerSql.entry(c, 1, SyncPath.parse("notes/b.txt")),
        () -> PeerSql.bindings(c),
        () -> PeerSql.binding(c, "/home/alice/other"));
    for (Read read : reads) {
      try {
        read.run();
      } catch (CorruptRowException expected) {
        // typed rejection
      }
    }
  }

  /** A row of the Mothership's {@code sync_events} (default) or {@code sync_path_heads}, read back. */
  @FuzzTest(maxDuration = "2m")
  void eventRowRead(byte[] data) throws Exception {
    ObjectNode input = object(data);
    if (input == null) {
      return;
    }
    Connection c = logDb();
    PeerSql.begin(c, true);
    try {
      ObjectNode fuzzed = insertRows(c, LOG_ROWS, input, "sync_events", (table, row) -> {
        if (table.equals("sync_events")) {
          row.put("seq", 2).put("event_id", "peer_0000000a.2");
        } else {
          row.put("path", "notes/b.txt");
        }
      });
      if (fuzzed == null) {
        return;
      }
      for (Read read : List.<Read>of(() -> EventRows.read(c, WS, 0, 10), () -> EventRows.heads(c),
          () -> EventRows.pathHead(c, WS, SyncPath.parse("notes/b.txt")))) {
        try {
          read.run();
        } catch (EventLogException e) {
          if (e.reason() != EventLogException.Reason.CORRUPT) {
            throw new AssertionError("not CORRUPT: " + e.reason(), e);
          }
        }
      }
      if (EventRows.read(c, WS, 0, 1).get(0).seq() != 1 || EventRows.pathHead(c, WS, REAL_PATH).isEmpty()) {
        throw new AssertionError("a real row changed beside " + fuzzed);
      }
    } finally {
      PeerSql.rollback(c);
    }
  }

  /**
   * Inserts every real row of {@code realRows}, then the input's columns over a copy of the real row of its
   * {@code table} (made distinct from it by {@code distinct}, unless the input says otherwise).
   *
   * @return the fuzzed row, or null when there is no such table or SQLite's schema refuses the row (NOT NULL, a
   *     duplicate key: no file holds such a row)
   */
  private static ObjectNode insertRows(Connection c, String realRows, ObjectNode input, String defaultTable,
      java.util.function.BiConsumer<String, ObjectNode> distinct) throws Exception {
    ObjectNode real = (ObjectNode) MAPPER.readTree(realRows);
    String table = input.path("table").asText(defaultTable);
    if (!real.has(table)) {
      return null;
    }
    for (Iterator<String> names = real.fieldNames(); names.hasNext(); ) {
      String t = names.next();
      insert(c, t, (ObjectNode) real.get(t));
    }
    ObjectNode fuzzed = ((ObjectNode) real.get(table)).deepCopy();
    distinct.accept(table, fuzzed);
    input.remove("table");
    fuzzed.setAll(input);
    try {
      insert(c, table, fuzzed);
    } catch (SQLException refusedByTheSchema) {
      return null;
    }
    return fuzzed;
  }

  private interface Read {
    Object run() throws SQLException, EventLogException;
  }

  private static void insert(Connection c, String table, ObjectNode row) throws SQLException {
    List<String> names = new ArrayList<>();
    List<JsonNode> values = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().matches("[a-z_]{1,30}")) {
        throw new SQLException("not a column: " + e.getKey());
      }
      names.add(e.getKey());
      values.add(e.getValue());
    }
    String sql = "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
        + String.join(", ", java.util.Collections.nCopies(names.size(), "?")) + ")";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < values.size(); i++) {
        JsonNode v = values.get(i);
        if (v.isIntegralNumber() && v.canConvertToLong()) {
          ps.setLong(i + 1, v.asLong());
        } else if (v.isNumber()) {
          ps.setDouble(i + 1, v.asDouble());
        } else if (v.isTextual()) {
          ps.setString(i + 1, v.asText());
        } else if (v.isObject() && v.path("blob").isTextual()) {
          ps.setBytes(i + 1, v.path("blob").asText().getBytes(StandardCharsets.UTF_8));
        } else if (v.isNull()) {
          ps.setNull(i + 1, java.sql.Types.NULL);
        } else {
          ps.setString(i + 1, v.toString());
        }
      }
      ps.executeUpdate();
    }
  }

  private static synchronized Connection peerDb() throws SQLException {
    if (peerDb == null) {
      peerDb = DriverManager.getConnection("jdbc:sqlite::memory:");
      PeerSql.createSchema(peerDb);
    }
    return peerDb;
  }

  private static synchronized Connection logDb() throws SQLException, IOException {
    if (logDb == null) {
      logDb = DriverManager.getConnection("jdbc:sqlite::memory:");
      String ddl;
      try (InputStream in = EventRows.class.getResourceAsStream("/aura-sync-migrations/V1__event_log.sql")) {
        ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${binary}", "BLOB");
      }
      try (Statement s = logDb.createStatement()) {
        for (String statement : ddl.replaceAll("(?m)^--.*$", "").split(";")) {
          if (!statement.isBlank()) {
            s.execute(statement);
          }
        }
      }
    }
    return logDb;
  }

  private static ObjectNode object(byte[] data) {
    try {
      return MAPPER.readTree(data) instanceof ObjectNode o ? o : null;
    } catch (IOException notJson) {
      return null;
    }
  }
}
