package dev.aura.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.peer.HandoverFollower;
import dev.aura.app.peer.InstanceList;
import dev.aura.app.peer.MothershipClient;
import dev.aura.app.peer.PeerState;
import dev.aura.app.protocol.Wire;
import dev.aura.tls.PinSet;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A joined peer's connection to its Mothership: the pinned client and the refresh credential. When the
 * Mothership presents a certificate the peer does not pin, it looks for a signed handover from a pinned one
 * ({@link HandoverFollower}) and, if there is one, pins the new certificate and retries once.
 *
 * <p><b>Failover.</b> The peer knows the URLs of the Mothership's instances ({@link InstanceList}, from
 * {@code join --url} and the {@code instances} of the last join or refresh). A call that finds its instance
 * unreachable (connection refused or reset, no answer; for a POST only when it never connected, since a
 * refresh must not be sent twice) tries the next URL, in order, with the same pins: the
 * instances share one certificate. So does a request other than a POST that its instance answers with
 * {@code store unreachable} (the instance lost its database, so it did nothing), and {@link #moveOn} when a
 * connected instance says it lost its database. A TLS failure, a pin mismatch among them, is never a reason
 * to fail over.
 * The order is the membership's URL (the one joined through, or given to {@code repin}), then the instance
 * list; a refresh keeps the instance that answered it, if the new list still has it.
 */
final class PeerClient {
  final PeerState state;
  final PeerState.Membership membership;
  private final CliEnvironment env;
  private final Duration timeout;
  private InstanceList instances;
  private List<URI> order;
  private int current;
  private MothershipClient client;
  private boolean followedHandover;
  private Consumer<String> notices = n -> { };
  private String instancesProblem;

  /** A call to the current instance. */
  interface Attempt<T> {
    T run(MothershipClient client) throws AuraException;
  }

  private PeerClient(CliEnvironment env, PeerState state, PeerState.Membership membership, Duration timeout)
      throws AuraException {
    this.env = env;
    this.state = state;
    this.membership = membership;
    this.timeout = timeout;
    try {
      this.instances = state.instances();
    } catch (AuraException e) {
      this.instances = new InstanceList(List.of(), List.of());
      this.instancesProblem = e.getMessage();
    }
    this.order = orderOf(instances);
    this.client = new MothershipClient(order.get(0), state.pins(), env.clock(), env.protocolVersion(), timeout);
  }

  /** The membership's URL (joined through, or set by repin) first, then the instance list's order. */
  private List<URI> orderOf(InstanceList list) {
    List<URI> out = new ArrayList<>();
    out.add(MothershipClient.checkUrl(membership.url()));
    list.order().stream().filter(u -> !out.contains(u)).forEach(out::add);
    return List.copyOf(out);
  }

  /** @return why the saved instance list was not usable (then only the joined URL is tried), if it was not */
  Optional<String> instancesProblem() {
    return Optional.ofNullable(instancesProblem);
  }

  /** Where failover notices go ({@code failover: ...}); nowhere by default. */
  void onNotice(Consumer<String> sink) {
    this.notices = sink;
  }

  /**
   * Runs a call against the current instance; when that is unreachable, against the next ones in order,
   * each once.
   *
   * @throws AuraException the first instance's failure when none answers, or any failure that is not
   *     "unreachable"
   */
  <T> T call(Attempt<T> attempt) throws AuraException {
    return call(attempt, true);
  }

  /**
   * As {@link #call(Attempt)}; a request that is not {@code repeatable} (a refresh rotates the credential, so
   * sent twice it would be refused the second time) moves on only when the instance was never reached.
   */
  private <T> T call(Attempt<T> attempt, boolean repeatable) throws AuraException {
    AuraException first = null;
    for (int tried = 0; tried < order.size(); tried++) {
      try {
        try {
          return attempt.run(client);
        } catch (AuraException e) {
          if (followHandover(e)) {
            return attempt.run(client);
          }
          throw e;
        }
      } catch (AuraException e) {
        boolean lostItsStore = repeatable && storeUnreachable(e);
        if (!(repeatable ? unanswered(e) || lostItsStore : unreachable(e)) || order.size() == 1) {
          throw e;
        }
        first = first == null ? e : first;
        notices.accept(failOver((lostItsStore ? "cannot reach its database (" : "unreachable (") + e.getMessage()
            + ")"));
      }
    }
    throw first;
  }

  /**
   * @return whether a failure means the request never reached the instance (connection refused, unknown
   *     host, connect timeout), so sending it to another one cannot do it twice
   */
  static boolean unreachable(AuraException e) {
    String why = e.why().orElse("");
    return e.what().startsWith("cannot reach ") && (why.startsWith("tcp connect: ") || why.startsWith("unknown host"));
  }

  /**
   * @return whether the instance did not answer: {@link #unreachable}, or the connection was reset or timed
   *     out mid-request (it may have done the work); never a TLS failure or a refusal
   */
  static boolean unanswered(AuraException e) {
    return e.what().startsWith("cannot reach ") || e.what().startsWith("no answer from ");
  }

  /** @return whether the instance answered that it cannot reach its database, so it did nothing */
  static boolean storeUnreachable(AuraException e) {
    return e.what().equals(MothershipClient.STORE_UNREACHABLE);
  }

  /** @return {@code instances: URL, URL}: the order calls go in, as a command prints it after a new list */
  String instancesLine() {
    return "instances: " + String.join(", ", order.stream().map(URI::toString).toList());
  }

  /** @return the warning for a malformed instance list in an answer or a heartbeat: the old list is kept */
  static String keptPreviousList(AuraException malformed) {
    return "warning: " + malformed.getMessage() + " (kept the previous list)";
  }

  /** @return whether the peer knows another instance to fail over to */
  boolean canFailOver() {
    return order.size() > 1;
  }

  /**
   * Makes the next instance in order the current one, when the current one is connected but has lost its
   * database: the next call (the control connection's reconnect) goes there first.
   *
   * @return the notice, {@code failover: A cannot reach its database (why); trying B}
   */
  String moveOn(String why) throws AuraException {
    return failOver("cannot reach its database (" + why + ")");
  }

  /**
   * Makes the next instance the current one.
   *
   * @return the notice, {@code failover: A <what>; trying B}
   */
  private String failOver(String what) throws AuraException {
    URI from = client.base();
    switchTo((current + 1) % order.size());
    return "failover: " + from + " " + what + "; trying " + client.base();
  }

  private void switchTo(int index) throws AuraException {
    current = index;
    client = new MothershipClient(order.get(index), state.pins(), env.clock(), env.protocolVersion(), timeout);
  }

  static PeerClient open(CliEnvironment env, Duration timeout) throws AuraException {
    PeerState state = new PeerState(env.home());
    return new PeerClient(env, state, state.requireMembership(), timeout);
  }

  MothershipClient client() {
    return client;
  }

  String credential() throws AuraException {
    return state.credential();
  }

  /** @return whether a call pinned a rotated certificate through a signed handover */
  boolean followedHandover() {
    return followedHandover;
  }

  MothershipClient.Reply get(String path) throws AuraException {
    return call(c -> c.get(path, credential()));
  }

  /** POSTs to the current instance; fails over only when it was never reached (see {@link #unreachable}). */
  MothershipClient.Reply post(String path, ObjectNode body) throws AuraException {
    return call(c -> c.post(path, body, credential()), false);
  }

  /**
   * Rotates the refresh credential and stores the new one, then the instance list of the answer; the next
   * call goes to the same instance if the list still has it, else to its head. A malformed list keeps the
   * old one.
   *
   * @throws AuraException {@value InstanceList#MALFORMED} after the credential was saved, when the answer's
   *     instance list is malformed
   */
  void rotateCredential() throws AuraException {
    MothershipClient.Reply reply = post(Wire.REFRESH, Wire.object());
    state.saveCredential(reply.body().path("refresh_credential").asText());
    learnInstances(reply.body(), "in the refresh answer of " + client.hostPort());
  }

  /**
   * Keeps the instance list a refresh answer or a heartbeat carries ({@code "instances"}), when it differs
   * from the one kept: saved, and the order follows it; the next call goes to the same instance if the list
   * still has it, else to its head. Absent, nothing changes; a malformed list keeps the old one.
   *
   * @return whether the list changed
   * @throws AuraException {@value InstanceList#MALFORMED} when the list is malformed
   */
  boolean learnInstances(com.fasterxml.jackson.databind.JsonNode message, String where) throws AuraException {
    List<URI> announced = InstanceList.announcedIn(message, where);
    if (announced.isEmpty() || announced.equals(instances.announced())) {
      return false;
    }
    instances = instances.withAnnounced(announced);
    state.saveInstances(instances);
    instancesProblem = null;
    URI answered = client.base();
    order = orderOf(instances);
    int at = order.indexOf(answered);
    if (at >= 0) {
      current = at; // it answered: stay, rather than go back to one that may have failed over from
    } else {
      switchTo(0);
    }
    return true;
  }

  /** Pins follow a signed handover, if the failure was a pin mismatch and one is served. */
  boolean followHandover(AuraException failure) throws AuraException {
    if (!isPinMismatch(failure)) {
      return false;
    }
    Optional<PinSet> next = HandoverFollower.follow(client.base(), state.pins(), env.clock(), env.protocolVersion(),
        timeout);
    if (next.isEmpty()) {
      return false;
    }
    state.savePins(next.get());
    client = new MothershipClient(client.base(), next.get(), env.clock(), env.protocolVersion(), timeout);
    followedHandover = true;
    return true;
  }

  static boolean isPinMismatch(AuraException e) {
    return e.what().equals("tls handshake failed") && e.why().orElse("").startsWith("tls fingerprint mismatch");
  }
}
