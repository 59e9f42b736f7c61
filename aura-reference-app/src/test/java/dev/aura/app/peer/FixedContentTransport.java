package dev.aura.app.peer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.ContentHash;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Mothership for {@link SyncAgent} without a network: records the control messages sent, lacks no content,
 * accepts every upload and serves {@code content} for every blob.
 */
final class FixedContentTransport implements SyncAgent.Transport {
  final List<ObjectNode> sent = new ArrayList<>();
  private final byte[] content;

  FixedContentTransport(byte[] content) {
    this.content = content.clone();
  }

  @Override
  public void send(ObjectNode message) {
    sent.add(message);
  }

  @Override
  public Set<ContentHash> missing(WorkspaceName workspace, List<ContentHash> hashes) {
    return Set.of();
  }

  @Override
  public void upload(WorkspaceName workspace, ContentHash hash, byte[] bytes) {}

  @Override
  public InputStream download(WorkspaceName workspace, ContentHash hash) {
    return new ByteArrayInputStream(content);
  }
}
