package dev.aura.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.testing.MothershipFixture;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A half-open or silent client does not hold a connection forever. */
class SlowClientTest {
  @TempDir
  Path temp;

  @Test
  void silentConnection_isClosedByTheIdleTimeout() throws Exception {
    try (MothershipFixture m = MothershipFixture.builder(temp).config("[server]\nidle_timeout = \"1s\"\n").start();
         Socket silent = new Socket()) {
      silent.connect(new InetSocketAddress("127.0.0.1", m.url().getPort()), 2_000);
      silent.setSoTimeout(10_000); // the bound: far above the 1s idle timeout
      InputStream in = silent.getInputStream();
      int read;
      try {
        read = in.read(); // never sends a TLS ClientHello
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server kept a silent connection open", e);
      } catch (java.net.SocketException reset) {
        read = -1;
      }
      assertThat(read).as("closed by the server").isEqualTo(-1);
    }
  }
}
