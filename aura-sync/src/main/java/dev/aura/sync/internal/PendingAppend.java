package dev.aura.sync.internal;

import dev.aura.spi.WorkspaceName;
import dev.aura.sync.EventLog.AppendResult;
import dev.aura.sync.EventLog.Submitted;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code append} call waiting for its commit: compared by identity.
 *
 * @param workspace where
 * @param events what, in order
 * @param future completed once the commit is durable (or failed)
 * @param submittedAt when it was submitted, by the log's clock
 */
record PendingAppend(WorkspaceName workspace, List<Submitted> events,
    CompletableFuture<List<AppendResult>> future, Instant submittedAt) {
  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
