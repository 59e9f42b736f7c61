package dev.aura.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.Fingerprint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
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
 * The peer side of {@link SyncMemory}, in its own JVM so that the heap measured holds only the server: many
 * control connections (the app's pinned {@link MothershipClient}), each acking {@code hello} and heartbeats
 * as {@code aura mothership connect} does, with one callback per connection instead of a thread; then, on
 * command, each subscribes to the workspace as {@code aura sync} does and reads the events relayed to it.
 *
 * <p>Driven over standard input and output: one JSON line (URL, pinned fingerprint, workspace, refresh
 * credentials, bounds), then it prints {@code connected N ...}, waits for {@code subscribe}, prints
 * {@code subscribed N EVENTS}, waits for {@code done} and exits. Secrets arrive on standard input only and are
 * never printed.
 */
public final class SubscriberSwarm {
  private SubscriberSwarm() {}

  /** One connected peer. */
  private static final class Peer implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    volatile WebSocket socket;
    volatile boolean hello;
    volatile long head = -1;
    volatile long received;
    volatile long lastSeq;
    volatile String problem;

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
            hello = true;
            ack(webSocket);
          }
          case "heartbeat" -> ack(webSocket);
          case "subscribed" -> head = m.path("head").asLong();
          case "events" -> {
            for (JsonNode e : m.path("events")) {
              received++;
              lastSeq = e.path("seq").asLong();
            }
          }
          case "sync_refused" -> problem = m.path("message").asText();
          default -> { }
        }
      }
      webSocket.request(1);
      return null;
    }

    void send(String text) {
      sending = sending.handle((r, e) -> null).thenCompose(x -> socket.sendText(text, true));
    }

    private void ack(WebSocket webSocket) {
      ObjectNode ack = Wire.object();
      ack.put("type", "ack");
      ack.put("revocation_version", 0);
      String text = Wire.write(ack);
      sending = sending.handle((r, e) -> null).thenCompose(x -> webSocket.sendText(text, true));
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      problem = error.toString();
    }
  }

  /**
   * Runs the swarm as {@link SyncMemory} drives it.
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
    String workspace = setup.path("workspace").asText();
    List<Peer> peers = new ArrayList<>();
    List<String> credentials = new ArrayList<>();
    for (JsonNode p : setup.path("credentials")) {
      peers.add(new Peer());
      credentials.add(p.asText());
    }
    ExecutorService openers = Executors.newFixedThreadPool(setup.path("concurrency").asInt(16));
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
    while (peers.stream().anyMatch(p -> !p.hello) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    out.printf("connected %d %d %d%n", peers.stream().filter(p -> p.hello).count(), Machine.maxFileDescriptors(),
        Machine.openFileDescriptors());
    out.flush();

    if (!"subscribe".equals(in.readLine())) {
      out.println("failed expected 'subscribe'");
      return;
    }
    ObjectNode subscribe = Wire.object();
    subscribe.put("type", "subscribe");
    subscribe.put("workspace", workspace);
    subscribe.put("after", 0);
    String text = Wire.write(subscribe);
    for (Peer p : peers) {
      p.send(text);
    }
    deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline && peers.stream().anyMatch(p -> p.head < 0 || p.lastSeq < p.head)) {
      Thread.sleep(10);
    }
    long caughtUp = peers.stream().filter(p -> p.head >= 0 && p.lastSeq >= p.head).count();
    long received = peers.stream().mapToLong(p -> p.received).sum();
    String problem = peers.stream().map(p -> p.problem).filter(java.util.Objects::nonNull).findFirst().orElse("-");
    out.println("subscribed " + caughtUp + " " + received + " " + problem.replace('\n', ' '));
    out.flush();
    in.readLine(); // "done": the parent measured with every subscription in place
    for (Peer p : peers) {
      WebSocket s = p.socket;
      if (s != null) {
        s.abort();
      }
    }
  }
}
