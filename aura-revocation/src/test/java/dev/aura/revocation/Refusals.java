package dev.aura.revocation;

import dev.aura.token.TokenRejectedException;

/** Captures the rejection of a call that must be refused. */
final class Refusals {
  private Refusals() {}

  interface ThrowingCall {
    void run() throws Exception;
  }

  static TokenRejectedException refusal(ThrowingCall call) {
    try {
      call.run();
    } catch (TokenRejectedException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected a rejection, got " + e, e);
    }
    throw new AssertionError("expected a rejection, but it was accepted");
  }
}
