package dev.aura.app.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.config.AuraHome;
import dev.aura.app.config.OwnerOnlyFiles;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.Fingerprint;
import dev.aura.spi.MothershipId;
import dev.aura.spi.PeerId;
import dev.aura.spi.Role;
import dev.aura.tls.Pin;
import dev.aura.tls.PinSet;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer's state in {@code AURA_HOME}: which Mothership it joined and as whom ({@code peer.json}), the pinned
 * certificate fingerprints ({@code pins.json}), its refresh credential ({@code refresh.credential}, 0600) and
 * the Mothership's public keys ({@code mothership-keys.json}, to verify revocation updates offline).
 */
public final class PeerState {
  private final Path home;

  /**
   * What a peer knows of its membership.
   *
   * @param url the Mothership's URL
   * @param mothershipId its id
   * @param peerId this peer's id
   * @param subject the subject it joined as
   * @param role its role
   * @param joinedAt when it joined
   * @param announced the addresses it announced
   * @param heartbeat the Mothership's heartbeat interval
   */
  public record Membership(URI url, MothershipId mothershipId, PeerId peerId, String subject, Role role,
      Instant joinedAt, List<String> announced, Duration heartbeat) {
    /** Checks nulls and copies the list. */
    public Membership {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(mothershipId, "mothershipId");
      Objects.requireNonNull(peerId, "peerId");
      announced = List.copyOf(announced);
    }

    /** @return the same membership at another URL */
    public Membership at(URI other) {
      return new Membership(other, mothershipId, peerId, subject, role, joinedAt, announced, heartbeat);
    }
  }

  /** @param home the {@code AURA_HOME} */
  public PeerState(AuraHome home) {
    this.home = home.root();
  }

  /** @return the directory */
  public Path home() {
    return home;
  }

  /** @return {@code peer.json} */
  public Path membershipFile() {
    return home.resolve("peer.json");
  }

  /** @return {@code pins.json} */
  public Path pinsFile() {
    return home.resolve("pins.json");
  }

  /** @return {@code refresh.credential} */
  public Path credentialFile() {
    return home.resolve("refresh.credential");
  }

  /** @return {@code instances.json}: the instance URLs to fail over along */
  public Path instancesFile() {
    return home.resolve("instances.json");
  }

  /**
   * @return the saved instance list; empty (nothing saved, as after a join by an older version) when there is
   *     none
   * @throws AuraException {@code cannot read .../instances.json} with {@value InstanceList#MALFORMED} or
   *     the parse error as the cause, when the file is damaged
   */
  public InstanceList instances() throws AuraException {
    Optional<ObjectNode> json = readJson(instancesFile());
    if (json.isEmpty()) {
      return new InstanceList(List.of(), List.of());
    }
    try {
      return InstanceList.fromJson(json.get());
    } catch (AuraException e) {
      throw new AuraException("cannot read " + instancesFile(), e.getMessage()
          + "; the next refresh rewrites it, or rejoin with --url");
    }
  }

  /** Writes {@code instances.json}. */
  public void saveInstances(InstanceList list) throws AuraException {
    write(instancesFile(), Wire.pretty(list.toJson()) + "\n");
  }

  /** @return {@code mothership-keys.json} */
  public Path keysFile() {
    return home.resolve("mothership-keys.json");
  }

  /** @return whether this home joined a Mothership */
  public boolean joined() {
    return Files.exists(membershipFile());
  }

  /** @return the membership, if this home joined */
  public Optional<Membership> membership() throws AuraException {
    Optional<ObjectNode> json = readJson(membershipFile());
    if (json.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode o = json.get();
    try {
      List<String> announced = new ArrayList<>();
      o.path("announced").forEach(a -> announced.add(a.asText()));
      return Optional.of(new Membership(URI.create(o.path("url").asText()),
          MothershipId.parse(o.path("mothership_id").asText()), PeerId.parse(o.path("peer_id").asText()),
          o.path("subject").asText(), Role.parse(o.path("role").asText()),
          Instant.parse(o.path("joined_at").asText()), announced,
          Duration.ofSeconds(o.path("heartbeat_seconds").asLong(30))));
    } catch (RuntimeException e) {
      throw corrupt(membershipFile(), e);
    }
  }

  /**
   * @return the membership
   * @throws AuraException {@code this AURA_HOME has not joined a Mothership} when it did not
   */
  public Membership requireMembership() throws AuraException {
    return membership().orElseThrow(() -> new AuraException("this AURA_HOME has not joined a Mothership",
        "no " + membershipFile() + "; join with: aura mothership join --url URL --token TOKEN"));
  }

  /** @return the pinned fingerprints */
  public PinSet pins() throws AuraException {
    ObjectNode o = readJson(pinsFile()).orElseThrow(() -> new AuraException("no pinned certificate",
        "no " + pinsFile() + "; join (or repin) first"));
    try {
      PinSet.Builder builder = PinSet.builder().handoverSequence(o.path("handover_sequence").asLong(0));
      for (JsonNode p : o.path("pins")) {
        Fingerprint fp = Fingerprint.parse(p.path("fingerprint").asText());
        if (p.hasNonNull("retire_at")) {
          builder.pin(fp, Instant.parse(p.get("retire_at").asText()));
        } else {
          builder.pin(fp);
        }
      }
      return builder.build();
    } catch (RuntimeException e) {
      throw corrupt(pinsFile(), e);
    }
  }

  /** @return the refresh credential */
  public String credential() throws AuraException {
    try {
      return OwnerOnlyFiles.readSmall(credentialFile(), 16 * 1024);
    } catch (NoSuchFileException e) {
      throw new AuraException("no refresh credential", "no " + credentialFile() + "; join first");
    } catch (IOException e) {
      throw new AuraException("cannot read " + credentialFile(), e.getMessage());
    }
  }

  /** @return {@code sync.db}: the WAL, index and applied sequence of every directory this peer syncs */
  public Path syncDatabase() {
    return home.resolve("sync.db");
  }

  /** @return {@code audit-copy.db}: an admin peer's verified copy of the Mothership's audit log */
  public Path auditCopyFile() {
    return home.resolve("audit-copy.db");
  }

  /** @return the Mothership's public keys as last fetched (a JWK set), if any */
  public Optional<String> mothershipKeys() throws AuraException {
    try {
      return Optional.of(Files.readString(keysFile()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new AuraException("cannot read " + keysFile(), e.getMessage());
    }
  }

  /** Records a join: membership, pins and the refresh credential (0600), each written atomically. */
  public void saveJoin(Membership membership, PinSet pins, String credential) throws AuraException {
    saveCredential(credential);
    savePins(pins);
    saveMembership(membership);
  }

  /** Writes {@code peer.json}. */
  public void saveMembership(Membership m) throws AuraException {
    ObjectNode o = Wire.object();
    o.put("url", m.url().toString());
    o.put("mothership_id", m.mothershipId().value());
    o.put("peer_id", m.peerId().value());
    o.put("subject", m.subject());
    o.put("role", m.role().wireName());
    o.put("joined_at", m.joinedAt().toString());
    o.put("heartbeat_seconds", m.heartbeat().toSeconds());
    ArrayNode announced = o.putArray("announced");
    m.announced().forEach(announced::add);
    write(membershipFile(), Wire.pretty(o) + "\n");
  }

  /** Writes {@code pins.json}. */
  public void savePins(PinSet pins) throws AuraException {
    ObjectNode o = Wire.object();
    o.put("handover_sequence", pins.handoverSequence());
    ArrayNode list = o.putArray("pins");
    for (Pin pin : pins.pins()) {
      ObjectNode p = list.addObject();
      p.put("fingerprint", pin.fingerprint().toString());
      if (pin.retireAt().isPresent()) {
        p.put("retire_at", pin.retireAt().get().toString());
      } else {
        p.putNull("retire_at");
      }
    }
    write(pinsFile(), Wire.pretty(o) + "\n");
  }

  /** Writes the refresh credential, owner-only. */
  public void saveCredential(String credential) throws AuraException {
    write(credentialFile(), credential + "\n");
  }

  /** Writes the Mothership's public keys. */
  public void saveMothershipKeys(String jwkSet) throws AuraException {
    write(keysFile(), jwkSet + "\n");
  }

  private void write(Path file, String content) throws AuraException {
    try {
      OwnerOnlyFiles.createDirectories(home);
      OwnerOnlyFiles.writeSecret(file, content); // all peer state is private: 0600 throughout
    } catch (IOException e) {
      throw new AuraException("cannot write " + file, e.getMessage());
    }
  }

  private static Optional<ObjectNode> readJson(Path file) throws AuraException {
    try {
      return Optional.of(Wire.parseObject(OwnerOnlyFiles.readSmall(file, 256 * 1024)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new AuraException("cannot read " + file, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw corrupt(file, e);
    }
  }

  private static AuraException corrupt(Path file, RuntimeException e) {
    return new AuraException("cannot read " + file, "the file is damaged (" + e.getMessage()
        + "); rejoin with a new token");
  }
}
