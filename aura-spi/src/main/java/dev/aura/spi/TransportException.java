package dev.aura.spi;

import java.io.IOException;

/** A transport SPI could not fetch what was asked: the Mothership was unreachable or answered with an error. */
public class TransportException extends IOException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed, for an operator */
  public TransportException(String message) {
    super(message);
  }

  /**
   * @param message what failed, for an operator
   * @param cause the underlying failure
   */
  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
