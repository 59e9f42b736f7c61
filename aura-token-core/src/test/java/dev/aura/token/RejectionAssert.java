package dev.aura.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts a typed rejection with its reason and message; no other exception may escape. */
final class RejectionAssert {
  private RejectionAssert() {}

  static TokenRejectedException rejected(ThrowingCallable call, RejectionReason reason) {
    TokenRejectedException e = catchThrowableOfType(TokenRejectedException.class, call);
    assertThat(e).as("expected a rejection with reason %s", reason).isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    assertThat(e.getMessage()).startsWith(reason.text());
    assertThat(e.getMessage()).doesNotContain("eyJ");
    return e;
  }
}
