package dev.aura.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aura.app.AuraException;
import java.io.IOException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

class BindFailureTest {
  @Test
  void portInUse_readsAsTheTroubleshootingGuideShowsIt() {
    AuraException e = MothershipServer.bindFailure("0.0.0.0", 7777,
        new IOException("Failed to bind to 0.0.0.0/0.0.0.0:7777", new BindException("Address already in use")));
    assertThat(e.what()).isEqualTo("failed to bind 0.0.0.0:7777");
    assertThat(e.why()).hasValue("address already in use");
  }

  @Test
  void privilegedPortWithoutPrivilege_mentionsCapNetBindService() {
    AuraException e = MothershipServer.bindFailure("0.0.0.0", 443,
        new IOException("Failed to bind", new BindException("Permission denied")));
    assertThat(e.what()).isEqualTo("failed to bind 0.0.0.0:443");
    assertThat(e.why().orElseThrow()).startsWith("permission denied: ports below 1024 need root or the"
        + " CAP_NET_BIND_SERVICE capability: run it as the release's systemd unit"
        + " (systemd/aura-mothership.service grants it with AmbientCapabilities)");
  }

  @Test
  void ipv6Wildcard_isBracketed() {
    AuraException e = MothershipServer.bindFailure("::", 7777, new BindException("Address already in use"));
    assertThat(e.what()).isEqualTo("failed to bind [::]:7777");
  }
}
