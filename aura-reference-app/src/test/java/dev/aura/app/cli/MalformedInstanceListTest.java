package dev.aura.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.AuraException;
import dev.aura.app.config.DataDir;
import dev.aura.app.config.MothershipConfig;
import dev.aura.app.peer.InstanceList;
import dev.aura.app.protocol.Wire;
import dev.aura.app.server.ApiHandler;
import dev.aura.app.server.MothershipService;
import dev.aura.app.server.Principal;
import dev.aura.app.testing.Cli;
import dev.aura.app.testing.NoServer;
import dev.aura.tls.TlsContexts;
import dev.aura.token.IssuedRefreshCredential;
import dev.aura.token.JoinTokenRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refresh answer whose instance list is malformed (a real Mothership's routes, with {@code /v1/refresh}
 * answered by a stand-in that rotates the credential for real and adds {@code "instances": [42]}): the peer
 * keeps the new credential, keeps its saved list, and gets a typed {@value InstanceList#MALFORMED} error.
 */
class MalformedInstanceListTest {
  @TempDir
  Path temp;

  @Test
  void refreshAnswer_withAMalformedInstanceList_isATypedError_andTheRotatedCredentialIsKept() throws Exception {
    MothershipService service = MothershipService.open(new DataDir(temp.resolve("mothership")),
        MothershipConfig.defaults(), Clock.systemUTC());
    Server jetty = new Server();
    try {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setSslContext(TlsContexts.server(service.certificates().current()));
      ServerConnector connector = new ServerConnector(jetty, ssl);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      jetty.addConnector(connector);
      jetty.setHandler(new MalformedRefresh(service, new ApiHandler(service, new NoServer(), Wire.PROTOCOL_VERSION)));
      jetty.start();
      String url = "https://127.0.0.1:" + connector.getLocalPort();
      CliEnvironment env = CliEnvironment.builder().variable("AURA_HOME", temp.resolve("alice").toString())
          .userHome(temp).clock(Clock.systemUTC()).build();
      String token = service.issue(JoinTokenRequest.forSubject("alice@acme.com").build(), Principal.localAdmin())
          .token();
      Cli.Result joined = Cli.run(env, "mothership", "join", "--url", url, "--token", token, "--announce",
          "127.0.0.1");
      assertThat(joined.exit()).as(joined.toString()).isZero();
      Path instancesFile = temp.resolve("alice").resolve("instances.json");
      String savedList = Files.readString(instancesFile);

      PeerClient peer = PeerClient.open(env, Duration.ofSeconds(10));
      String before = peer.credential();
      assertThatThrownBy(peer::rotateCredential).isInstanceOfSatisfying(AuraException.class, e -> {
        assertThat(e.what()).isEqualTo(InstanceList.MALFORMED);
        assertThat(e.why().orElseThrow()).isEqualTo("'instances' in the refresh answer of 127.0.0.1:"
            + connector.getLocalPort() + ", entry 1: expected a string, got number");
      });

      assertThat(peer.credential()).isNotEqualTo(before);
      assertThat(Files.readString(instancesFile)).isEqualTo(savedList);
      Cli.Result ping = Cli.run(env, "mothership", "ping");
      assertThat(ping.exit()).as(ping.toString()).isZero();
      assertThat(ping.out()).contains("credential: accepted (");
    } finally {
      jetty.stop();
      service.close();
    }
  }

  /** Answers {@code POST /v1/refresh} itself, for real, with a malformed instance list; the rest as served. */
  private static final class MalformedRefresh extends Handler.Wrapper {
    private final MothershipService service;

    MalformedRefresh(MothershipService service, Handler api) {
      super(api);
      this.service = service;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (!Wire.REFRESH.equals(request.getHttpURI().getPath())) {
        return super.handle(request, response, callback);
      }
      String bearer = request.getHeaders().get(HttpHeader.AUTHORIZATION).substring("Bearer ".length());
      IssuedRefreshCredential next = service.refresh(bearer, "127.0.0.1");
      ObjectNode body = Wire.object();
      body.put("peer_id", next.peer().value());
      body.put("refresh_credential", next.credential());
      body.put("credential_expires", next.expiresAt().toString());
      body.put("rotate_after", next.rotateAfter().toString());
      body.put("server_time", service.clock().instant().toString());
      body.putArray("instances").add(42);
      response.setStatus(200);
      response.getHeaders().put(Wire.PROTOCOL_HEADER, Integer.toString(Wire.PROTOCOL_VERSION));
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      Content.Sink.write(response, true, Wire.write(body), callback);
      return true;
    }
  }

}
