/**
 * Storage SPIs ({@link dev.aura.spi.TokenLedger}, {@link dev.aura.spi.RevocationStore},
 * {@link dev.aura.spi.AuditLog}, {@link dev.aura.spi.SigningKeyStore}, {@link dev.aura.spi.PeerStore},
 * {@link dev.aura.spi.RefreshCredentialStore}), change notification ({@link dev.aura.spi.StoreChangeFeed}),
 * transport SPIs ({@link dev.aura.spi.RevocationSource}, {@link dev.aura.spi.PublicKeySource}) and the value
 * types they exchange.
 *
 * <p>Common contract, unless a method says otherwise: implementations are safe for concurrent use by many
 * threads; arguments must not be null ({@link java.lang.NullPointerException} otherwise); collections returned
 * are never null (empty when there is nothing) and are not modified by later calls; a storage failure is a
 * checked {@link dev.aura.spi.StoreException}, a network failure a {@link dev.aura.spi.TransportException}.
 * A method returns only once its write is durable, as far as the store can promise durability.
 */
package dev.aura.spi;
