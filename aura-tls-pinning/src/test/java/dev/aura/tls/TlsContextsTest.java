package dev.aura.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyManagementException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

class TlsContextsTest {
  private final TlsIdentity identity = Fixtures.identity();

  @Test
  void contexts_refuseToBeInitializedAgain() {
    SSLContext client = TlsContexts.pinnedClient(PinSet.of(identity.fingerprint()), Fixtures.fixed(Fixtures.T0));

    assertThatThrownBy(() -> client.init(null, null, null)).isInstanceOf(KeyManagementException.class)
        .hasMessage("this SSLContext is already initialized");
  }

  @Test
  void engines_andDefaultParameters_allowOnlyTheStrongProtocolsAndSuites() {
    SSLContext server = TlsContexts.server(identity);
    SSLEngine engine = server.createSSLEngine();
    SSLParameters defaults = server.getDefaultSSLParameters();

    assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(engine.getEnabledCipherSuites()).containsExactlyElementsOf(TlsContexts.CIPHER_SUITES);
    assertThat(defaults.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(server.getSupportedSSLParameters().getCipherSuites())
        .containsExactlyElementsOf(TlsContexts.CIPHER_SUITES);
  }

  @Test
  void applyPolicy_setsProtocolsSuitesAndServerOrder() {
    SSLParameters parameters = TlsContexts.applyPolicy(new SSLParameters());

    assertThat(parameters.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(parameters.getCipherSuites()).doesNotContain("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256");
    assertThat(parameters.getUseCipherSuitesOrder()).isTrue();
  }
}
