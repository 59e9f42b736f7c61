package dev.aura.revocation.internal;

import dev.aura.revocation.Revocation;
import dev.aura.revocation.internal.CompactKeys.JtiKey;
import dev.aura.spi.Jti;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationChange.Action;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.RevocationTarget.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The revocations in force, with O(1) lookups by jti, subject and peer id, and the version of the last change
 * applied. Shared by the Mothership's list and a peer's cache.
 *
 * <p>One writer at a time (the owner serialises {@link #apply}); any number of lock-free readers. Each change
 * touches one map, so a reader never sees half a change.
 */
public final class RevocationState {
  /** What is kept per revocation: about 32 bytes. */
  private static final class Mark {
    final long version;
    final long atSecond;
    final int atNano;

    Mark(long version, Instant at) {
      this.version = version;
      this.atSecond = at.getEpochSecond();
      this.atNano = at.getNano();
    }

    Instant at() {
      return Instant.ofEpochSecond(atSecond, atNano);
    }
  }

  private final ConcurrentHashMap<JtiKey, Mark> jtis;
  private final ConcurrentHashMap<Integer, Mark> peers;
  private final ConcurrentHashMap<String, Mark> subjects;
  private volatile long version;

  /** @param expectedEntries a sizing hint, so that loading a large list does not rehash repeatedly */
  public RevocationState(long expectedEntries) {
    int hint = (int) Math.min(Math.max(expectedEntries, 16), 1 << 26);
    this.jtis = new ConcurrentHashMap<>(hint);
    this.peers = new ConcurrentHashMap<>(16);
    this.subjects = new ConcurrentHashMap<>(16);
  }

  /** @return the version of the last change applied, 0 when none */
  public long version() {
    return version;
  }

  /** @return how many revocations are in force */
  public int size() {
    return jtis.size() + peers.size() + subjects.size();
  }

  /**
   * Applies one change. A revoke of a subject already revoked keeps the later revocation time.
   *
   * @param changeVersion greater than {@link #version()}
   * @return for a revoke, the revocation now in force; for an unrevoke, the one lifted, or null if the target
   *     was not revoked
   */
  public Revocation apply(long changeVersion, Action action, RevocationTarget target, Instant at) {
    if (changeVersion <= version) {
      throw new IllegalStateException("change version " + changeVersion + " is not after " + version);
    }
    Map<Object, Mark> map = mapFor(target.kind());
    Object key = key(target);
    Revocation result;
    if (action == Action.REVOKE) {
      Mark mark = new Mark(changeVersion, at);
      Mark previous = map.get(key);
      if (target.kind() == Kind.SUBJECT && previous != null && previous.atSecond > mark.atSecond) {
        mark = previous; // a later version stamped earlier (skewed clocks): keep the stricter cut-off
      } else {
        map.put(key, mark);
      }
      result = new Revocation(mark.version, target, mark.at());
    } else {
      Mark lifted = map.remove(key);
      result = lifted == null ? null : new Revocation(lifted.version, target, lifted.at());
    }
    version = changeVersion;
    return result;
  }

  /** Sets the version after a snapshot whose entries were applied at their own (sparse) versions. */
  public void advanceTo(long newVersion) {
    if (newVersion < version) {
      throw new IllegalStateException("version " + newVersion + " is before " + version);
    }
    version = newVersion;
  }

  /** @return the revocation in force for exactly this target */
  public Optional<Revocation> find(RevocationTarget target) {
    Mark mark = mapFor(target.kind()).get(key(target));
    return mark == null ? Optional.empty() : Optional.of(new Revocation(mark.version, target, mark.at()));
  }

  /** @return whether the peer id itself is revoked */
  public boolean isPeerRevoked(PeerId peer) {
    return peers.containsKey(CompactKeys.peer(peer.value()));
  }

  /** The join check: by jti, then by subject for a token issued in or before the revocation's second. */
  public Optional<String> revocationOf(Jti jti, String subject, Instant issuedAt) {
    Mark byJti = jtis.get(CompactKeys.jti(jti.value()));
    if (byJti != null) {
      return Optional.of("token " + jti + " was revoked at " + byJti.at() + " (revocation version "
          + byJti.version + ")");
    }
    Mark bySubject = subjects.get(subject);
    if (bySubject != null && Cutoff.refuses(issuedAt, bySubject.atSecond)) {
      return Optional.of(subjectDescription(subject, bySubject) + ": tokens issued up to that second are"
          + " refused, this one was issued at " + issuedAt);
    }
    return Optional.empty();
  }

  /** The refresh check: by peer id, then by subject for a peer that joined in or before its second. */
  public Optional<String> revocationOfPeer(PeerId peer, String subject, Instant joinedAt) {
    Mark byPeer = peers.get(CompactKeys.peer(peer.value()));
    if (byPeer != null) {
      return Optional.of("peer " + peer + " was revoked at " + byPeer.at() + " (revocation version "
          + byPeer.version + ")");
    }
    Mark bySubject = subject == null ? null : subjects.get(subject);
    if (bySubject != null && Cutoff.refuses(joinedAt, bySubject.atSecond)) {
      return Optional.of(subjectDescription(subject, bySubject) + ": peers that joined up to that second are"
          + " refused, " + peer + " joined at " + joinedAt);
    }
    return Optional.empty();
  }

  private static String subjectDescription(String subject, Mark mark) {
    return "subject " + subject + " was revoked at " + mark.at() + " (revocation version " + mark.version + ")";
  }

  /**
   * @param max the most entries wanted
   * @return every revocation in force, oldest version first, or empty if there are more than {@code max}
   */
  public Optional<List<Revocation>> inForceIfAtMost(int max) {
    if (size() > max) {
      return Optional.empty();
    }
    return Optional.of(inForce());
  }

  /** @return every revocation in force, oldest version first */
  public List<Revocation> inForce() {
    List<Revocation> out = new ArrayList<>(size());
    jtis.forEach((k, m) -> out.add(new Revocation(m.version, new RevocationTarget(Kind.JTI,
        CompactKeys.jti(k)), m.at())));
    peers.forEach((k, m) -> out.add(new Revocation(m.version, new RevocationTarget(Kind.PEER,
        CompactKeys.peer(k)), m.at())));
    subjects.forEach((k, m) -> out.add(new Revocation(m.version, RevocationTarget.subject(k), m.at())));
    out.sort(Comparator.comparingLong(Revocation::version));
    return out;
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Mark> mapFor(Kind kind) {
    return (Map<Object, Mark>) (Map<?, Mark>) switch (kind) {
      case JTI -> jtis;
      case PEER -> peers;
      case SUBJECT -> subjects;
    };
  }

  private static Object key(RevocationTarget target) {
    return switch (target.kind()) {
      case JTI -> CompactKeys.jti(target.value());
      case PEER -> CompactKeys.peer(target.value());
      case SUBJECT -> target.value();
    };
  }
}
