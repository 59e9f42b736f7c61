package dev.aura.testkit.contract;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The lifecycle every SPI contract suite shares: a fresh store before each test, released after it.
 *
 * @param <S> the SPI under test
 */
public abstract class StoreContract<S> {
  /** The store under test, fresh for each test. */
  protected S store;

  /** For subclasses. */
  protected StoreContract() {}

  /**
   * A fresh, empty store for each test.
   *
   * @return the store under test
   * @throws Exception if it could not be created
   */
  protected abstract S newStore() throws Exception;

  /**
   * Releases a store made by {@link #newStore()}; by default closes it if it is {@link AutoCloseable}.
   *
   * @param store the store to release
   * @throws Exception if it could not be released
   */
  protected void closeStore(S store) throws Exception {
    if (store instanceof AutoCloseable c) {
      c.close();
    }
  }

  @BeforeEach
  final void openStoreUnderTest() throws Exception {
    store = newStore();
  }

  @AfterEach
  final void closeStoreUnderTest() throws Exception {
    if (store != null) {
      closeStore(store);
    }
  }
}
