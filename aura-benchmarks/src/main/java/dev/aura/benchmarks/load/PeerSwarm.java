package dev.aura.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.protocol.Wire;
import dev.aura.revocation.PeerRevocationCache;
import dev.aura.revocation.RevocationSyncException;
import dev.aura.spi.Fingerprint;
import dev.aura.token.PublicKeyRing;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The peer side of {@link PeerFanout}, in its own JVM so that the server's heap holds only the server: many
 * control connections opened with the app's pinned {@link MothershipClient}, each speaking the control
 * protocol as {@code aura mothership connect} does (ack every {@code hello} and heartbeat with the applied
 * revocation version; verify each signed {@code revocations} document with a {@link PeerRevocationCache}
 * and ack it), but with a callback per connection instead of a thread.
 *
 * <p>Driven over standard input and output by {@link PeerFanout}: it reads one JSON line (URL, pinned
 * fingerprint, admin credential, peer ids and refresh credentials, the peer to revoke, bounds), opens every
 * connection, prints {@code connected N}, waits for the line {@code revoke}, revokes the peer with the admin
 * API ({@code peer revoke PEER_ID}), times the close of the revoked connection and each other peer's
 * application of the update, prints {@code result {json}} and exits. Secrets arrive on standard input only
 * and are never printed.
 */
public final class PeerSwarm {
  /** Close code of a revoked peer's connection. */
  public static final int REVOKED = 4003;

  private PeerSwarm() {}

  /** One connected peer. */
  private static final class Peer implements WebSocket.Listener {
    final String id;
    final PeerRevocationCache cache;
    private final StringBuilder partial = new StringBuilder();
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    volatile WebSocket socket;
    volatile long helloAt;
    volatile long appliedVersion;
    volatile long appliedAt;
    volatile int closeCode = -1;
    volatile long closedAt;
    volatile String problem;

    Peer(String id, PublicKeyRing keys) {
      this.id = id;
      this.cache = PeerRevocationCache.builder().keys(() -> keys).clock(Clock.systemUTC())
          .maxStaleness(Duration.ofHours(1)).build();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      socket = webSocket;
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        ObjectNode m = Wire.parseObject(partial.toString());
        partial.setLength(0);
        switch (m.path("type").asText()) {
          case "hello" -> {
            helloAt = System.nanoTime();
            ack(webSocket);
          }
          case "heartbeat" -> ack(webSocket);
          case "revocations" -> {
            try {
              cache.apply(m.path("document").asText());
              long now = System.nanoTime();
              if (cache.version() > appliedVersion) {
                appliedVersion = cache.version();
                appliedAt = now;
              }
            } catch (RevocationSyncException e) {
              problem = "revocation update refused: " + e.getMessage();
            }
            ack(webSocket);
          }
          default -> { }
        }
      }
      webSocket.request(1);
      return null;
    }

    private void ack(WebSocket webSocket) {
      ObjectNode ack = Wire.object();
      ack.put("type", "ack");
      ack.put("revocation_version", cache.version());
      String text = Wire.write(ack);
      sending = sending.handle((r, e) -> null).thenCompose(x -> webSocket.sendText(text, true));
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closedAt = System.nanoTime();
      closeCode = statusCode;
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      if (closedAt == 0) {
        closedAt = System.nanoTime();
        problem = error.toString();
      }
    }
  }

  /**
   * Runs the swarm as {@link PeerFanout} drives it.
   *
   * @param args none: everything comes on standard input
   */
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = System.out;
    ObjectNode setup = Wire.parseObject(in.readLine());
    try {
      run(setup, in, out);
    } catch (Exception e) {
      out.println("failed " + (e instanceof AuraException a ? a.what() + a.why().map(w -> ": " + w).orElse("")
          : e.toString()));
    }
    out.flush();
    System.exit(0);
  }

  private static void run(ObjectNode setup, BufferedReader in, PrintStream out) throws Exception {
    URI url = URI.create(setup.path("url").asText());
    MothershipClient client = LoadServer.newClient(url, Fingerprint.parse(setup.path("fingerprint").asText()));
    Duration bound = Duration.ofMillis(setup.path("bound_millis").asLong(60_000));
    int concurrency = setup.path("concurrency").asInt(16);
    PublicKeyRing keys = PublicKeyRing.fromJwkSet(Wire.write(client.get(Wire.KEYS, null).body()));

    List<Peer> peers = new ArrayList<>();
    List<String> credentials = new ArrayList<>();
    for (JsonNode p : setup.path("peers")) {
      peers.add(new Peer(p.path("id").asText(), keys));
      credentials.add(p.path("credential").asText());
    }
    String revokedId = setup.path("revoke").asText();

    long openStart = System.nanoTime();
    ExecutorService openers = Executors.newFixedThreadPool(concurrency);
    List<Future<?>> opened = new ArrayList<>();
    for (int i = 0; i < peers.size(); i++) {
      Peer peer = peers.get(i);
      String credential = credentials.get(i);
      opened.add(openers.submit(() -> {
        client.openControl(credential, peer);
        return null;
      }));
    }
    for (Future<?> f : opened) {
      f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    }
    openers.shutdown();
    credentials.clear();
    long deadline = System.nanoTime() + bound.toNanos();
    while (peers.stream().anyMatch(p -> p.helloAt == 0) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    long greeted = peers.stream().filter(p -> p.helloAt != 0).count();
    out.printf("connected %d %d %d %d%n", greeted, (System.nanoTime() - openStart) / 1_000_000,
        Machine.maxFileDescriptors(), Machine.openFileDescriptors());
    out.flush();

    String command = in.readLine();
    if (!"revoke".equals(command)) {
      out.println("failed expected 'revoke', got " + command);
      return;
    }
    Peer revoked = peers.stream().filter(p -> p.id.equals(revokedId)).findFirst().orElseThrow();
    ObjectNode request = Wire.object();
    request.put("target", revokedId);
    long t0 = System.nanoTime();
    MothershipClient.Reply reply = client.post(Wire.ADMIN + "peers/revoke", request,
        setup.path("admin").asText());
    long answered = System.nanoTime();
    long version = reply.body().path("version").asLong();

    deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline && (revoked.closedAt == 0
        || peers.stream().anyMatch(p -> p != revoked && p.appliedVersion < version))) {
      Thread.sleep(2);
    }
    long[] applied = new long[peers.size()];
    int n = 0;
    int missing = 0;
    String problem = null;
    for (Peer p : peers) {
      if (p == revoked) {
        continue;
      }
      if (p.appliedVersion >= version) {
        applied[n++] = p.appliedAt - t0;
      } else {
        missing++;
      }
      if (p.problem != null && problem == null) {
        problem = p.id + ": " + p.problem;
      }
    }
    Latency latency = Latency.of(applied, n);
    ObjectNode result = Wire.object();
    result.put("peers", peers.size());
    result.put("version", version);
    result.put("revoke_answer_ms", (answered - t0) / 1e6);
    result.put("revoked_close_code", revoked.closeCode);
    result.put("revoked_closed_ms", revoked.closedAt == 0 ? -1 : (revoked.closedAt - t0) / 1e6);
    result.put("applied", n);
    result.put("missing", missing);
    result.put("applied_p50_ms", latency.p50Nanos() / 1e6);
    result.put("applied_p99_ms", latency.p99Nanos() / 1e6);
    result.put("applied_max_ms", latency.maxNanos() / 1e6);
    result.put("others_open", peers.stream().filter(p -> p != revoked && p.closedAt != 0).count() == 0);
    if (problem != null) {
      result.put("problem", problem);
    }
    out.println("result " + Wire.write(result));
    out.flush();
    in.readLine(); // the parent checks the server's view with every connection still open, then says "done"
    for (Peer p : peers) {
      WebSocket s = p.socket;
      if (s != null) {
        s.abort();
      }
    }
  }
}
