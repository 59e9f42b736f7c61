package dev.aura.revocation;

import dev.aura.revocation.UpdateOutcome.Kind;
import dev.aura.revocation.internal.RevocationDocument;
import dev.aura.spi.RevocationChange.Action;
import dev.aura.spi.RevocationEntry;
import dev.aura.spi.RevocationSource;
import dev.aura.spi.StoreException;
import dev.aura.spi.TransportException;
import dev.aura.token.KeyRing;
import dev.aura.token.SigningAlgorithm;
import dev.aura.token.TokenType;
import dev.aura.token.TypedJws;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Signs the Mothership's revocation list for peers: a snapshot (every revocation in force) or a delta (the
 * changes after a version), each a compact JWS of {@code typ} {@code aura-revocation+jwt} signed by the key
 * ring's primary key and carrying its version range {@code from}/{@code to}, the Mothership's latest version
 * {@code head} and the signing time {@code iat}. A peer verifies it with the Mothership's public keys
 * ({@link PeerRevocationCache}).
 *
 * <pre>{@code
 * RevocationPublisher publisher = RevocationPublisher.of(list, keyRing, clock);
 * // the server's endpoint GET /revocations?after=N answers with:
 * String signed = publisher.fetchSince(n);
 * // in-process, it is also the peer's RevocationSource:
 * peerCache.sync(publisher);
 * }</pre>
 *
 * <p><b>Pages.</b> The token core refuses a revocation JWS longer than {@link TokenType#maxLength()} (1 MiB),
 * so a document carries several thousand changes. A delta is therefore one page: the first
 * changes after the requested version, with {@code to < head} when more follow; a peer fetches again from
 * {@code to} until it reaches {@code head} ({@link PeerRevocationCache#sync}). A snapshot is produced only
 * when every revocation in force fits in one document; otherwise a new peer replays deltas from version 0.
 * Entries carry the target, the action and the revocation time; actor and reason stay on the Mothership.
 *
 * <p>Thread-safe.
 */
public final class RevocationPublisher implements RevocationSource {
  /** The longest document produced: the token core's cap on a revocation JWS it verifies. */
  public static final int MAX_DOCUMENT_LENGTH = TokenType.REVOCATION.maxLength();
  private static final int LONGEST_RS256_SIGNATURE = 512;

  private final RevocationList list;
  private final KeyRing keyRing;
  private final Clock clock;
  private final int maxDocumentLength;
  private final int readAhead;
  private final int snapshotMaxEntries;

  private RevocationPublisher(RevocationList list, KeyRing keyRing, Clock clock, int maxDocumentLength) {
    this.list = list;
    this.keyRing = keyRing;
    this.clock = clock;
    this.maxDocumentLength = maxDocumentLength;
    // An entry is 60 to 400 characters once encoded: read enough to fill a page, snapshot what surely fits.
    this.readAhead = Math.max(16, maxDocumentLength / 32);
    this.snapshotMaxEntries = Math.max(8, maxDocumentLength / 64);
  }

  /**
   * @param list the list to publish
   * @param keyRing signs every document with its primary key
   * @param clock gives each document's {@code iat}
   */
  public static RevocationPublisher of(RevocationList list, KeyRing keyRing, Clock clock) {
    return withPageLimit(list, keyRing, clock, MAX_DOCUMENT_LENGTH);
  }

  /** A publisher with smaller pages, so tests can exercise paging without millions of entries. */
  static RevocationPublisher withPageLimit(RevocationList list, KeyRing keyRing, Clock clock, int maxLength) {
    if (maxLength < 1024 || maxLength > MAX_DOCUMENT_LENGTH) {
      throw new IllegalArgumentException("page limit must be between 1024 and " + MAX_DOCUMENT_LENGTH);
    }
    return new RevocationPublisher(Objects.requireNonNull(list, "list"), Objects.requireNonNull(keyRing,
        "keyRing"), Objects.requireNonNull(clock, "clock"), maxLength);
  }

  /**
   * Signs every revocation in force as one snapshot at the list's current version.
   *
   * @return the compact JWS, or empty if the revocations in force do not fit in one document
   */
  public Optional<String> snapshot() {
    Optional<RevocationList.Snapshot> read = list.snapshotIfAtMost(snapshotMaxEntries);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    List<RevocationDocument.Entry> entries = new ArrayList<>();
    for (Revocation r : read.get().inForce()) {
      entries.add(new RevocationDocument.Entry(r.version(), Action.REVOKE, r.target(), wholeSeconds(r.at())));
    }
    long version = read.get().version();
    String signed = sign(new RevocationDocument(Kind.SNAPSHOT, 0, version, version, now(), entries));
    return signed.length() <= maxDocumentLength ? Optional.of(signed) : Optional.empty();
  }

  /**
   * Signs the changes after a version, as many as fit in one document (at least one when there are any).
   * When there are none, the delta is empty ({@code from == to == head}): a heartbeat that renews a
   * current peer's freshness.
   *
   * @param afterVersion the version the peer holds, between 0 and the list's version
   * @return the compact JWS
   * @throws StoreException if the store could not be read
   * @throws IllegalArgumentException if {@code afterVersion} is negative or ahead of the list
   */
  public String delta(long afterVersion) throws StoreException {
    List<RevocationEntry> changes = list.changesSince(afterVersion, readAhead);
    List<RevocationDocument.Entry> entries = new ArrayList<>(changes.size());
    for (RevocationEntry e : changes) {
      entries.add(new RevocationDocument.Entry(e.version(), e.change().action(), e.change().target(),
          wholeSeconds(e.change().at())));
    }
    int count = fittingByEstimate(entries);
    Instant now = now();
    while (true) {
      long to = afterVersion + count;
      long head = Math.max(list.version(), to);
      String signed = sign(new RevocationDocument(Kind.DELTA, afterVersion, to, head, now,
          entries.subList(0, count)));
      if (signed.length() <= maxDocumentLength) {
        return signed;
      }
      if (count <= 1) {
        throw new IllegalStateException("revocation version " + to + " does not fit in one document ("
            + signed.length() + " characters, at most " + maxDocumentLength + ")");
      }
      count = count * 3 / 4;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>For a peer at version 0 (or ahead of this list even after a {@link RevocationList#refresh}, as after
   * a store reset, which the peer then refuses as a rollback): a snapshot, or the first delta page from 0 when
   * the snapshot would not fit. Otherwise the next delta page.
   *
   * @throws TransportException if the revocation store could not be read
   */
  @Override
  public String fetchSince(long afterVersion) throws TransportException {
    if (afterVersion < 0) {
      throw new IllegalArgumentException("afterVersion must be 0 or more, got " + afterVersion);
    }
    try {
      if (afterVersion > list.version()) {
        list.refresh();
      }
      if (afterVersion == 0 || afterVersion > list.version()) {
        Optional<String> snapshot = snapshot();
        return snapshot.isPresent() ? snapshot.get() : delta(0);
      }
      return delta(afterVersion);
    } catch (StoreException e) {
      throw new TransportException("the Mothership could not read its revocation store: " + e.getMessage(), e);
    }
  }

  private int fittingByEstimate(List<RevocationDocument.Entry> entries) {
    SigningAlgorithm alg = keyRing.primaryAlgorithm();
    int headerJson = ("{\"alg\":\"\",\"typ\":\"\",\"kid\":\"\"}").length() + alg.jwsName().length()
        + TokenType.REVOCATION.typ().length() + keyRing.primaryKid().length();
    int signature = alg.signatureLength() > 0 ? alg.signatureLength() : LONGEST_RS256_SIGNATURE;
    int budgetChars = maxDocumentLength - base64Length(headerJson) - base64Length(signature) - 2;
    int budgetBytes = budgetChars / 4 * 3 - RevocationDocument.estimatedEnvelopeBytes();
    int used = 0;
    int count = 0;
    for (RevocationDocument.Entry e : entries) {
      used += e.estimatedJsonBytes();
      if (used > budgetBytes && count > 0) {
        break;
      }
      count++;
    }
    return count;
  }

  private static int base64Length(int bytes) {
    return (bytes * 4 + 2) / 3;
  }

  private String sign(RevocationDocument document) {
    return TypedJws.sign(keyRing, TokenType.REVOCATION, document.toClaims());
  }

  private Instant now() {
    return wholeSeconds(clock.instant());
  }

  private static Instant wholeSeconds(Instant at) {
    return Instant.ofEpochSecond(at.getEpochSecond());
  }
}
