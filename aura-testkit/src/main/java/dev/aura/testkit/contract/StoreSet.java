package dev.aura.testkit.contract;

import dev.aura.spi.AuditLog;
import dev.aura.spi.PeerStore;
import dev.aura.spi.RefreshCredentialStore;
import dev.aura.spi.RevocationStore;
import dev.aura.spi.SigningKeyStore;
import dev.aura.spi.StoreChangeFeed;
import dev.aura.spi.TokenLedger;
import dev.aura.spi.UnitOfWork;
import java.util.Objects;

/**
 * A full set of stores with the unit of work they join, as {@link UnitOfWorkContractTest} needs them.
 *
 * <pre>{@code
 * JdbcStores stores = JdbcStores.open(url);
 * StoreSet set = new StoreSet(stores.unitOfWork(), stores.tokenLedger(), stores.peerStore(),
 *     stores.refreshCredentialStore(), stores.auditLog(), stores.revocationStore(), stores.signingKeyStore(),
 *     stores.changeFeed(), stores);
 * }</pre>
 *
 * @param unitOfWork the unit every store below joins
 * @param tokenLedger the ledger
 * @param peerStore the peers
 * @param refreshCredentialStore the refresh credentials
 * @param auditLog the audit log
 * @param revocationStore the revocations
 * @param signingKeyStore the signing keys
 * @param changeFeed the feed the revocation, signing-key and peer stores publish to
 * @param owner closed by {@link #close()} (the store set's owner), or null when there is nothing to close
 */
public record StoreSet(UnitOfWork unitOfWork, TokenLedger tokenLedger, PeerStore peerStore,
    RefreshCredentialStore refreshCredentialStore, AuditLog auditLog, RevocationStore revocationStore,
    SigningKeyStore signingKeyStore, StoreChangeFeed changeFeed, AutoCloseable owner) implements AutoCloseable {
  /** Checks that every store is given. */
  public StoreSet {
    Objects.requireNonNull(unitOfWork, "unitOfWork");
    Objects.requireNonNull(tokenLedger, "tokenLedger");
    Objects.requireNonNull(peerStore, "peerStore");
    Objects.requireNonNull(refreshCredentialStore, "refreshCredentialStore");
    Objects.requireNonNull(auditLog, "auditLog");
    Objects.requireNonNull(revocationStore, "revocationStore");
    Objects.requireNonNull(signingKeyStore, "signingKeyStore");
    Objects.requireNonNull(changeFeed, "changeFeed");
  }

  /** Closes the owner, if any. */
  @Override
  public void close() throws Exception {
    if (owner != null) {
      owner.close();
    }
  }
}
