package dev.aura.testkit;

/**
 * A full set of in-memory stores sharing one change feed, for one-line setup of a test or a single-process
 * tool.
 *
 * <pre>{@code
 * InMemoryStores stores = InMemoryStores.create();
 * TokenLedger ledger = stores.tokenLedger();       // hand each store to the code under test
 * ...
 * assertThat(AuditChain.verify(stores.auditLog()).isIntact()).isTrue();
 * }</pre>
 *
 * <p>The revocation, signing-key and peer stores publish their changes to {@link #changeFeed()}. Every store
 * is thread-safe and starts empty. {@link #unitOfWork()} makes several
 * calls, across stores, one atomic step; notices reach the feed only after the unit commits.
 */
public final class InMemoryStores {
  private final InMemoryStoreChangeFeed changeFeed = new InMemoryStoreChangeFeed();
  private final InMemoryUnitOfWork unitOfWork = new InMemoryUnitOfWork();
  private final InMemoryTokenLedger tokenLedger = new InMemoryTokenLedger(unitOfWork);
  private final InMemoryRevocationStore revocationStore = new InMemoryRevocationStore(changeFeed, unitOfWork);
  private final InMemoryAuditLog auditLog = new InMemoryAuditLog(unitOfWork);
  private final InMemorySigningKeyStore signingKeyStore = new InMemorySigningKeyStore(changeFeed, unitOfWork);
  private final InMemoryPeerStore peerStore = new InMemoryPeerStore(changeFeed, unitOfWork);
  private final InMemoryRefreshCredentialStore refreshCredentialStore =
      new InMemoryRefreshCredentialStore(unitOfWork);
  private final InMemoryInstanceRegistry instanceRegistry = new InMemoryInstanceRegistry();

  private InMemoryStores() {}

  /** @return a new, empty set of stores */
  public static InMemoryStores create() {
    return new InMemoryStores();
  }

  /**
   * @return the unit of work every store of this set joins: store calls made inside
   *     {@code inTransaction} on the calling thread commit together or are undone together
   */
  public InMemoryUnitOfWork unitOfWork() {
    return unitOfWork;
  }

  /** @return the feed the revocation, signing-key and peer stores publish to */
  public InMemoryStoreChangeFeed changeFeed() {
    return changeFeed;
  }

  /** @return the token ledger */
  public InMemoryTokenLedger tokenLedger() {
    return tokenLedger;
  }

  /** @return the revocation store, publishing to {@link #changeFeed()} */
  public InMemoryRevocationStore revocationStore() {
    return revocationStore;
  }

  /** @return the audit log */
  public InMemoryAuditLog auditLog() {
    return auditLog;
  }

  /** @return the signing key store, publishing to {@link #changeFeed()} */
  public InMemorySigningKeyStore signingKeyStore() {
    return signingKeyStore;
  }

  /** @return the peer store, publishing to {@link #changeFeed()} */
  public InMemoryPeerStore peerStore() {
    return peerStore;
  }

  /** @return the refresh credential store */
  public InMemoryRefreshCredentialStore refreshCredentialStore() {
    return refreshCredentialStore;
  }

  /** @return the registry of running instances (outside the unit of work, as the SPI says) */
  public InMemoryInstanceRegistry instanceRegistry() {
    return instanceRegistry;
  }
}
