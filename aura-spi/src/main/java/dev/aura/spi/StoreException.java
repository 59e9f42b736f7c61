package dev.aura.spi;

/**
 * A storage SPI could not complete an operation: the database was unreachable, a transaction failed, the
 * schema is not ours. Never thrown for a business outcome (an unknown or used token is a result, not an
 * exception). Messages must not contain secrets.
 */
public class StoreException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message what failed, for an operator; never a token, key or credential */
  public StoreException(String message) {
    super(message);
  }

  /**
   * @param message what failed, for an operator; never a token, key or credential
   * @param cause the underlying failure
   */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
