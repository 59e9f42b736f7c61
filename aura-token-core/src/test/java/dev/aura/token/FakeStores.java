package dev.aura.token;

import dev.aura.spi.ConsumeOutcome;
import dev.aura.spi.Jti;
import dev.aura.spi.LedgerEntry;
import dev.aura.spi.RefreshCredentialRecord;
import dev.aura.spi.RefreshCredentialStore;
import dev.aura.spi.SecretHash;
import dev.aura.spi.SigningKeyStore;
import dev.aura.spi.StoredSigningKey;
import dev.aura.spi.TokenLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Minimal hand-written stores for token-core's own tests (the full in-memory set is in aura-testkit). */
final class FakeStores {
  private FakeStores() {}

  static final class Ledger implements TokenLedger {
    private final Map<Jti, LedgerEntry> entries = new HashMap<>();

    @Override
    public synchronized boolean record(LedgerEntry entry) {
      return entries.putIfAbsent(entry.jti(), entry) == null;
    }

    @Override
    public synchronized ConsumeOutcome consume(Jti jti, SecretHash hash, Instant now) {
      LedgerEntry e = entries.get(jti);
      if (e == null || !e.tokenHash().equals(hash)) {
        return ConsumeOutcome.UNKNOWN;
      }
      if (!now.isBefore(e.expiresAt())) {
        return ConsumeOutcome.EXPIRED;
      }
      if (e.usesRemaining() == 0) {
        return ConsumeOutcome.ALREADY_USED;
      }
      entries.put(jti, new LedgerEntry(e.jti(), e.subject(), e.role(), e.issuedAt(), e.expiresAt(),
          e.allowedUses(), e.usesConsumed() + 1, e.tokenHash()));
      return ConsumeOutcome.CONSUMED;
    }

    @Override
    public synchronized Optional<LedgerEntry> find(Jti jti) {
      return Optional.ofNullable(entries.get(jti));
    }
  }

  static final class Keys implements SigningKeyStore {
    private final Map<String, StoredSigningKey> keys = new LinkedHashMap<>();
    int saves;

    @Override
    public synchronized List<StoredSigningKey> loadAll() {
      return List.copyOf(new ArrayList<>(keys.values()));
    }

    @Override
    public synchronized void saveAll(List<StoredSigningKey> changed) {
      saves++;
      changed.forEach(k -> keys.put(k.kid(), k));
    }
  }

  static final class Refresh implements RefreshCredentialStore {
    private final Map<String, RefreshCredentialRecord> byId = new HashMap<>();

    @Override
    public synchronized void issue(RefreshCredentialRecord record) {
      byId.values().removeIf(r -> r.peer().equals(record.peer()));
      byId.put(record.credentialId(), record);
    }

    @Override
    public synchronized Optional<RefreshCredentialRecord> find(String id) {
      return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized boolean rotate(String currentId, RefreshCredentialRecord next) {
      if (byId.remove(currentId) == null) {
        return false;
      }
      byId.put(next.credentialId(), next);
      return true;
    }
  }
}
