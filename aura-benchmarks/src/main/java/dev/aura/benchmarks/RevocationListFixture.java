package dev.aura.benchmarks;

import dev.aura.revocation.RevocationList;
import dev.aura.spi.Jti;
import dev.aura.spi.PeerId;
import dev.aura.spi.RevocationChange;
import dev.aura.spi.RevocationChange.Action;
import dev.aura.spi.RevocationEntry;
import dev.aura.spi.RevocationStore;
import dev.aura.spi.RevocationTarget;
import dev.aura.spi.StoreException;
import dev.aura.testkit.InMemoryAuditLog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@link RevocationList} of a given size, opened the fast way: the changes come from an in-memory,
 * read-only store that generates them page by page (as a database returns rows), so building a million
 * entries takes about a second and the heap afterwards holds the list and nothing else. The mix follows
 * {@code aura-revocation}'s {@code MillionEntriesTest}: 90% jtis, 9% peer ids, 1% subjects.
 *
 * <p>Ids are pseudo-random but reproducible: {@link #jti(long)} and {@link #peer(int)} are bijections of their
 * index, so the ids with index {@code 0..n-1} are in the list and those with a negative index are not.
 */
final class RevocationListFixture {
  private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  /** Every entry in force. */
  final int entries;
  /** Generated jtis {@code jti(0) .. jti(fillerJtis - 1)}. */
  final int fillerJtis;
  /** The jtis given by the caller (issued tokens), in force after the generated ones. */
  final List<Jti> tokenJtis;
  /** Peer ids {@code peer(0) .. peer(peers - 1)}. */
  final int peers;
  /** Subjects {@code subject(0) .. subject(subjects - 1)}. */
  final int subjects;
  /** When every entry was revoked: a subject revocation refuses tokens issued up to this second. */
  final Instant revokedAt;
  final RevocationList list;

  private RevocationListFixture(int entries, List<Jti> tokenJtis, Instant revokedAt) throws StoreException {
    this.entries = entries;
    this.tokenJtis = List.copyOf(tokenJtis);
    this.peers = peersIn(entries);
    this.subjects = subjectsIn(entries);
    this.fillerJtis = jtisIn(entries) - this.tokenJtis.size();
    this.revokedAt = revokedAt;
    if (fillerJtis < 0 || subjects < 1) {
      throw new IllegalArgumentException("a list of " + entries + " entries cannot hold " + tokenJtis.size()
          + " token jtis and at least one subject");
    }
    Clock clock = Clock.fixed(revokedAt, ZoneOffset.UTC);
    this.list = RevocationList.open(new GeneratedStore(), new InMemoryAuditLog(), clock);
    if (list.size() != entries) {
      throw new IllegalStateException("the list holds " + list.size() + " revocations, expected " + entries);
    }
  }

  /**
   * Builds a list of exactly {@code entries} revocations, all made now.
   *
   * @param tokenJtis jtis of real tokens to revoke as well; they count towards {@code entries}
   */
  static RevocationListFixture build(int entries, List<Jti> tokenJtis) {
    try {
      return new RevocationListFixture(entries, tokenJtis, Clock.systemUTC().instant());
    } catch (StoreException e) {
      throw new IllegalStateException("cannot open the revocation list", e);
    }
  }

  /** @return how many jtis a list of {@code entries} holds: 90% */
  static int jtisIn(int entries) {
    return (int) (entries * 9L / 10);
  }

  /** @return how many peer ids a list of {@code entries} holds: 9% */
  static int peersIn(int entries) {
    return (int) (entries * 9L / 100);
  }

  /** @return how many subjects a list of {@code entries} holds: the rest, about 1% */
  static int subjectsIn(int entries) {
    return entries - jtisIn(entries) - peersIn(entries);
  }

  /** The target of the change with this version: generated jtis, then token jtis, peer ids, subjects. */
  RevocationTarget target(long version) {
    long i = version - 1;
    if (i < fillerJtis) {
      return RevocationTarget.jti(jti(i));
    }
    i -= fillerJtis;
    if (i < tokenJtis.size()) {
      return RevocationTarget.jti(tokenJtis.get((int) i));
    }
    i -= tokenJtis.size();
    if (i < peers) {
      return RevocationTarget.peer(peer((int) i));
    }
    return RevocationTarget.subject(subject((int) (i - peers)));
  }

  /**
   * A canonical jti for each index: 128 pseudo-random bits (a bijection of {@code n}) in ULID form, so jtis
   * spread over the hash table as issued ones do.
   */
  static Jti jti(long n) {
    long lo = mix64(n);
    long hi = mix64(lo ^ 0x5DEECE66DL);
    char[] ulid = new char[26];
    for (int i = 25; i >= 0; i--) {
      ulid[i] = CROCKFORD.charAt((int) (lo & 31));
      lo = (lo >>> 5) | (hi << 59);
      hi >>>= 5;
    }
    return new Jti(Jti.PREFIX + new String(ulid)); // the first character holds the top 3 bits: 0..7
  }

  /** A canonical peer id for each index (a bijection of {@code n} over 32 bits). */
  static PeerId peer(int n) {
    int h = n * 0x9E3779B1;
    h ^= h >>> 15;
    h *= 0x85EBCA77;
    h ^= h >>> 13;
    String hex = Integer.toHexString(h);
    return new PeerId(PeerId.PREFIX + "0".repeat(8 - hex.length()) + hex);
  }

  /** A subject for each index; subjects with a negative index are never revoked. */
  static String subject(int n) {
    return n >= 0 ? "user" + n + "@acme.com" : "member" + -(long) n + "@acme.com";
  }

  /** SplitMix64's finaliser: a bijection of 64-bit values. */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The changes, generated on demand: nothing of them stays on the heap once the list has replayed them. */
  private final class GeneratedStore implements RevocationStore {
    @Override
    public RevocationEntry append(RevocationChange change) {
      throw new UnsupportedOperationException("the benchmark's revocation store is read-only");
    }

    @Override
    public List<RevocationEntry> since(long afterVersion, int limit) {
      long last = Math.min(entries, afterVersion + limit);
      List<RevocationEntry> page = new ArrayList<>((int) Math.max(0, last - afterVersion));
      for (long v = afterVersion + 1; v <= last; v++) {
        page.add(new RevocationEntry(v, new RevocationChange(Action.REVOKE, target(v), "bulk-import",
            revokedAt, null)));
      }
      return page;
    }

    @Override
    public long latestVersion() {
      return entries;
    }
  }
}
