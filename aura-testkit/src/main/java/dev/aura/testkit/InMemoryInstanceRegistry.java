package dev.aura.testkit;

import dev.aura.spi.InstanceRecord;
import dev.aura.spi.InstanceRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link InstanceRegistry} in memory: one row per instance id. Thread-safe; never throws
 * {@link dev.aura.spi.StoreException}.
 *
 * <pre>{@code
 * InMemoryInstanceRegistry registry = new InMemoryInstanceRegistry();
 * registry.heartbeat(new InstanceRecord("i-a", "https://a:7777", t0, t0, 0, "0.13.0"));
 * registry.list();   // [i-a]
 * }</pre>
 */
public final class InMemoryInstanceRegistry implements InstanceRegistry {
  private static final Comparator<InstanceRecord> START_ORDER =
      Comparator.comparing(InstanceRecord::startedAt).thenComparing(InstanceRecord::instanceId);

  private final Map<String, InstanceRecord> rows = new HashMap<>();

  /** An empty registry. */
  public InMemoryInstanceRegistry() {}

  /** {@inheritDoc} */
  @Override
  public synchronized void heartbeat(InstanceRecord record) {
    Objects.requireNonNull(record, "record");
    rows.put(record.instanceId(), record);
  }

  /** {@inheritDoc} */
  @Override
  public synchronized List<InstanceRecord> list() {
    List<InstanceRecord> out = new ArrayList<>(rows.values());
    out.sort(START_ORDER);
    return out;
  }

  /** {@inheritDoc} */
  @Override
  public synchronized void remove(String instanceId) {
    Objects.requireNonNull(instanceId, "instanceId");
    rows.remove(instanceId);
  }
}
