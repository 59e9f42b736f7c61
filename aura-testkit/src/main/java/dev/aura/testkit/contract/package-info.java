/**
 * SPI contract suites: abstract JUnit 5 classes that every storage implementation's test extends, so that
 * the in-memory, SQLite and PostgreSQL stores pass the same tests.
 *
 * <pre>{@code
 * class PostgresTokenLedgerTest extends TokenLedgerContractTest {
 *   @Override
 *   protected TokenLedger newStore() throws Exception {
 *     return stores.freshSchema().tokenLedger();   // a fresh, empty store for each test
 *   }
 *
 *   @Override
 *   protected void closeStore(TokenLedger store) throws Exception {
 *     stores.dropSchema();                           // default: close() if AutoCloseable
 *   }
 * }
 * }</pre>
 *
 * <p>One suite per SPI: {@link dev.aura.testkit.contract.TokenLedgerContractTest},
 * {@link dev.aura.testkit.contract.RevocationStoreContractTest},
 * {@link dev.aura.testkit.contract.AuditLogContractTest},
 * {@link dev.aura.testkit.contract.SigningKeyStoreContractTest},
 * {@link dev.aura.testkit.contract.PeerStoreContractTest} and
 * {@link dev.aura.testkit.contract.RefreshCredentialStoreContractTest}. {@link
 * dev.aura.testkit.contract.ContractFixtures} makes valid, unique ids and records; {@link
 * dev.aura.testkit.contract.Race} runs the concurrency tests with a start gate and bounded waits.
 *
 * <p>Time never comes from the wall clock: every instant is derived from {@link
 * dev.aura.testkit.contract.ContractFixtures#T0}. The concurrency tests use at most 64 threads and finish
 * in well under a second against an in-memory store.
 */
package dev.aura.testkit.contract;
