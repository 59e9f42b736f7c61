package dev.aura.testkit.contract;

import static dev.aura.testkit.contract.ContractFixtures.T0;
import static dev.aura.testkit.contract.ContractFixtures.primaryKey;
import static dev.aura.testkit.contract.ContractFixtures.verifyOnlyKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.aura.spi.SecretBytes;
import dev.aura.spi.SigningKeyStore;
import dev.aura.spi.StoredSigningKey;
import dev.aura.spi.StoredSigningKey.KeyStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The {@link SigningKeyStore} contract. Every implementation's test extends this class and says how to make
 * a fresh, empty store:
 *
 * <pre>{@code
 * class SqliteSigningKeyStoreTest extends SigningKeyStoreContractTest {
 *   @Override
 *   protected SigningKeyStore newStore() throws Exception {
 *     return SqliteStores.open(dir.resolve("aura.db"), masterKey).signingKeyStore();
 *   }
 * }
 * }</pre>
 *
 * <p>Covers: {@code loadAll} empty-not-null and in creation order ({@code createdAt}, whatever the save
 * order); every field round-trips, the private key equal to what was saved ({@link SecretBytes#equals}) and
 * an absent private key still absent; {@code saveAll} inserts or replaces by {@code kid}; an empty save
 * changes nothing; results are not changed by later saves; null arguments; and a rotation saved in one call
 * is never seen half-applied by concurrent readers.
 */
public abstract class SigningKeyStoreContractTest extends StoreContract<SigningKeyStore> {
  private static final Duration GRACE = Duration.ofHours(24);


  @Test
  void loadAll_ofEmptyStore_isEmptyNotNull() throws Exception {
    assertThat(store.loadAll()).isNotNull().isEmpty();
  }

  @Test
  void saveAll_thenLoadAll_returnsEqualKeys() throws Exception {
    StoredSigningKey retired = primaryKey("k-2025-01", T0).retired(T0.plus(Duration.ofDays(30)).plus(GRACE));
    StoredSigningKey primary = primaryKey("k-2025-02", T0.plus(Duration.ofDays(30)));

    store.saveAll(List.of(retired, primary));

    assertThat(store.loadAll()).containsExactly(retired, primary);
  }

  @Test
  void saveAll_privateKey_roundTripsEqual() throws Exception {
    StoredSigningKey key = primaryKey("k-private", T0);
    byte[] secret = key.privateJwk().revealCopy();

    store.saveAll(List.of(key));

    SecretBytes loaded = store.loadAll().get(0).privateJwkIfAny().orElseThrow(
        () -> new AssertionError("the private key was lost"));
    assertThat(loaded.equals(key.privateJwk())).as("private key equal (constant-time comparison)").isTrue();
    assertThat(loaded.length()).isEqualTo(secret.length);
    assertThat(new String(loaded.revealCopy(), StandardCharsets.UTF_8))
        .as("private key bytes").isEqualTo(new String(secret, StandardCharsets.UTF_8));
  }

  @Test
  void saveAll_keyWithoutPrivateKey_staysWithoutPrivateKey() throws Exception {
    StoredSigningKey verifyOnly = verifyOnlyKey("k-verify-only", T0);

    store.saveAll(List.of(verifyOnly));

    StoredSigningKey loaded = store.loadAll().get(0);
    assertThat(loaded.privateJwkIfAny()).isEmpty();
    assertThat(loaded).isEqualTo(verifyOnly);
  }

  @Test
  void saveAll_primaryKey_keepsItsRetireTimeAbsent() throws Exception {
    store.saveAll(List.of(primaryKey("k-primary", T0)));

    StoredSigningKey loaded = store.loadAll().get(0);
    assertThat(loaded.status()).isEqualTo(KeyStatus.PRIMARY);
    assertThat(loaded.retireAtIfAny()).isEmpty();
  }

  @Test
  void loadAll_returnsKeysInCreationOrderWhateverTheSaveOrder() throws Exception {
    StoredSigningKey oldest = primaryKey("k-c", T0).retired(T0.plus(GRACE));
    StoredSigningKey middle = primaryKey("k-a", T0.plusSeconds(3600)).retired(T0.plus(GRACE));
    StoredSigningKey newest = primaryKey("k-b", T0.plusSeconds(7200));

    store.saveAll(List.of(newest));
    store.saveAll(List.of(middle, oldest));

    assertThat(store.loadAll()).extracting(StoredSigningKey::kid).containsExactly("k-c", "k-a", "k-b");
  }

  @Test
  void saveAll_existingKid_replacesItInPlace() throws Exception {
    StoredSigningKey first = primaryKey("k-1", T0);
    StoredSigningKey second = primaryKey("k-2", T0.plusSeconds(60));
    store.saveAll(List.of(first, second));
    StoredSigningKey firstRetired = first.retired(T0.plus(GRACE));

    store.saveAll(List.of(firstRetired));

    assertThat(store.loadAll()).containsExactly(firstRetired, second);
  }

  @Test
  void saveAll_rotation_retiresTheOldPrimaryAndAddsTheNewOneTogether() throws Exception {
    StoredSigningKey old = primaryKey("k-old", T0);
    store.saveAll(List.of(old));
    Instant rotatedAt = T0.plus(Duration.ofDays(90));
    StoredSigningKey next = primaryKey("k-new", rotatedAt);

    store.saveAll(List.of(next, old.retired(rotatedAt.plus(GRACE))));

    List<StoredSigningKey> loaded = store.loadAll();
    assertThat(loaded).extracting(StoredSigningKey::kid).containsExactly("k-old", "k-new");
    assertThat(loaded).extracting(StoredSigningKey::status).containsExactly(KeyStatus.RETIRED, KeyStatus.PRIMARY);
    assertThat(loaded.get(0).retireAtIfAny()).contains(rotatedAt.plus(GRACE));
  }

  @Test
  void saveAll_emptyList_changesNothing() throws Exception {
    StoredSigningKey key = primaryKey("k-1", T0);
    store.saveAll(List.of(key));

    store.saveAll(List.of());

    assertThat(store.loadAll()).containsExactly(key);
  }

  @Test
  void loadAll_resultIsNotChangedByLaterSaves() throws Exception {
    StoredSigningKey key = primaryKey("k-1", T0);
    store.saveAll(List.of(key));
    List<StoredSigningKey> before = store.loadAll();

    store.saveAll(List.of(key.retired(T0.plus(GRACE)), primaryKey("k-2", T0.plusSeconds(1))));

    assertThat(before).containsExactly(key);
  }

  @Test
  void saveAll_rotationsWhileOthersRead_areNeverSeenHalfApplied() throws Exception {
    StoredSigningKey a = primaryKey("k-a", T0);
    StoredSigningKey b = primaryKey("k-b", T0.plusSeconds(1));
    Instant retireAt = T0.plus(GRACE);
    store.saveAll(List.of(a, b.retired(retireAt)));
    int rotations = 40;
    AtomicBoolean writing = new AtomicBoolean(true);

    List<String> problems = Race.run(4, contender -> {
      if (contender == 0) {
        try {
          for (int i = 0; i < rotations; i++) {
            boolean aIsPrimary = i % 2 == 1;
            store.saveAll(List.of(aIsPrimary ? a : a.retired(retireAt), aIsPrimary ? b.retired(retireAt) : b));
          }
        } finally {
          writing.set(false);
        }
        return "";
      }
      StringBuilder seen = new StringBuilder();
      do {
        List<StoredSigningKey> ring = store.loadAll();
        long primaries = ring.stream().filter(k -> k.status() == KeyStatus.PRIMARY).count();
        if (ring.size() != 2 || primaries != 1) {
          seen.append(ring).append('\n');
        }
      } while (writing.get());
      return seen.toString();
    });

    assertThat(problems).as("rings seen with other than 2 keys and exactly 1 primary").allMatch(String::isEmpty);
    assertThat(store.loadAll()).containsExactly(a, b.retired(retireAt));
  }

  @Test
  void methods_withNullArguments_throwNullPointerException() throws Exception {
    assertThatNullPointerException().isThrownBy(() -> store.saveAll(null));

    assertThat(store.loadAll()).isEmpty();
  }
}
