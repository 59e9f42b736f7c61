package dev.aura.sync;

import dev.aura.spi.WorkspaceName;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where {@link Replica#apply} reads the content of a file another peer put: the CLI fetches it from the
 * Mothership. The replica verifies the SHA-256 and size of what it reads, so a source need not.
 *
 * <p>Called from the thread that calls {@code apply}; the returned stream is closed by the replica.
 */
@FunctionalInterface
public interface BlobSource {
  /**
   * @return the content with hash {@code hash}, from its first byte
   * @throws IOException when it cannot be fetched (for example {@link java.io.FileNotFoundException} when
   *     the Mothership has no such blob)
   */
  InputStream open(WorkspaceName workspace, ContentHash hash) throws IOException;
}
