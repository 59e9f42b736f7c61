package dev.aura.sync.internal;

import dev.aura.spi.PeerId;
import dev.aura.spi.WorkspaceName;
import java.time.Instant;

/** One bound directory. */
public record BindingRow(long id, String directory, WorkspaceName workspace, PeerId peer, long appliedSeq,
    Instant lastAck) {}
