package dev.aura.app.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.app.backup.BackupException;
import dev.aura.app.backup.OnlineBackup;
import dev.aura.app.protocol.Wire;
import dev.aura.app.release.AuraVersion;
import dev.aura.app.release.ReleaseArchive;
import dev.aura.app.release.ReleaseException;
import dev.aura.app.release.ReleaseManifest;
import dev.aura.spi.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's streaming routes, in front of {@link ApiHandler}:
 *
 * <pre>
 * GET /v1/admin/backup         the local admin only: a consistent online snapshot (plaintext tar, see OnlineBackup);
 *                              the CLI on the host encrypts it
 * GET /v1/release              a peer or admin: the signed manifest of the release this Mothership serves
 * GET /v1/release/archive      the archive itself
 * </pre>
 *
 * The release is the archive named by the system property {@code aura.release.archive} or the environment
 * variable {@code AURA_RELEASE_ARCHIVE}, else {@code aura-VERSION.tar.gz} beside the installation this
 * Mothership runs from ({@code $AURA_INSTALL_DIR/..}, as the README installs it). Release routes answer any
 * protocol version and carry no protocol header: they are how a peer behind a protocol bump catches up.
 */
final class OperationsRoutes extends Handler.Wrapper {
  private static final Logger LOG = LoggerFactory.getLogger(OperationsRoutes.class);
  static final String BACKUP = Wire.ADMIN + "backup";
  static final String ARCHIVE = Wire.RELEASE + "/archive";

  private final MothershipService mothership;
  private final int protocolVersion;
  private Inspected inspected;

  /** An inspected archive, valid while the file keeps its size and modification time. */
  private record Inspected(ReleaseArchive.Info info, long size, FileTime modified) {}

  OperationsRoutes(MothershipService mothership, Handler api, int protocolVersion) {
    super(api);
    this.mothership = mothership;
    this.protocolVersion = protocolVersion;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    boolean backup = BACKUP.equals(path);
    if (!backup && !Wire.RELEASE.equals(path) && !ARCHIVE.equals(path)) {
      return super.handle(request, response, callback);
    }
    if (backup) {
      response.getHeaders().put(Wire.PROTOCOL_HEADER, Integer.toString(protocolVersion));
    }
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    try {
      if (!request.getMethod().equals("GET")) {
        throw new ApiException(405, "method_not_allowed", "method not allowed", request.getMethod() + " " + path);
      }
      Principal who = mothership.authenticate(
          RequestFields.bearer(request.getHeaders().get(HttpHeader.AUTHORIZATION)), remote(request));
      if (backup) {
        backup(who, response);
      } else if (ARCHIVE.equals(path)) {
        archive(response);
      } else {
        String body = Wire.write(manifest()) + "\n";
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, body, callback);
        return true;
      }
      callback.succeeded();
    } catch (ApiException e) {
      json(response, callback, e);
    } catch (BackupException e) {
      LOG.error("backup failed: {}", e.getMessage());
      json(response, callback, new ApiException(500, "backup_failed", e.reason().text(), e.detail()));
    } catch (ReleaseException e) {
      LOG.error("cannot serve the release: {}", e.getMessage());
      json(response, callback, new ApiException(500, "release_unavailable", e.reason().text(), e.detail()));
    } catch (StoreException e) {
      json(response, callback, ApiException.storeUnreachable(path, e));
    } catch (Exception e) {
      if (response.isCommitted()) {
        LOG.warn("{} ended early (the client went away?): {}", path, e.toString());
        callback.failed(e);
      } else {
        LOG.error("{} failed", path, e);
        json(response, callback, new ApiException(500, "internal", "internal error", "see the Mothership's log"));
      }
    }
    return true;
  }

  private void backup(Principal who, Response response) throws Exception {
    if (!who.isLocalAdmin()) {
      throw ApiException.forbidden("backup needs the local admin credential of the Mothership host; "
          + who.actor() + " is a peer");
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-tar");
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      OnlineBackup.write(mothership, AuraVersion.current(), protocolVersion, out);
    }
  }

  private ObjectNode manifest() throws ApiException, ReleaseException, IOException {
    ReleaseArchive.Info info = release();
    ObjectNode body = Wire.object();
    body.put("manifest", ReleaseManifest.sign(mothership.keys(), mothership.id(), info, protocolVersion,
        mothership.clock().instant()));
    body.put("version", info.version().toString());
    body.put("protocol", info.protocol());
    body.put("size", info.size());
    body.put("sha256", info.sha256());
    return body;
  }

  private void archive(Response response) throws ApiException, ReleaseException, IOException {
    Path file = release().file();
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/gzip");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Long.toString(Files.size(file)));
    try (InputStream in = Files.newInputStream(file); OutputStream out = Content.Sink.asOutputStream(response)) {
      in.transferTo(out);
    }
  }

  /** @return the release served, inspected once per version of the file */
  private synchronized ReleaseArchive.Info release() throws ApiException, ReleaseException, IOException {
    Path file = releaseFile().orElseThrow(() -> ApiException.notFound("no release to serve", "this Mothership"
        + " serves the archive named by AURA_RELEASE_ARCHIVE, or aura-" + AuraVersion.current() + ".tar.gz"
        + " beside the installation it runs from; " + releaseHint()));
    long size = Files.size(file);
    FileTime modified = Files.getLastModifiedTime(file);
    if (inspected == null || !inspected.info().file().equals(file) || inspected.size() != size
        || !inspected.modified().equals(modified)) {
      inspected = new Inspected(ReleaseArchive.inspect(file), size, modified);
    }
    return inspected.info();
  }

  private static Optional<Path> releaseFile() {
    String named = System.getProperty("aura.release.archive", System.getenv("AURA_RELEASE_ARCHIVE"));
    if (named != null && !named.isBlank()) {
      return Optional.of(Path.of(named)).filter(Files::isRegularFile);
    }
    String install = System.getenv("AURA_INSTALL_DIR");
    if (install == null || install.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(Path.of(install).toAbsolutePath().getParent().resolve("aura-" + AuraVersion.current()
        + ".tar.gz")).filter(Files::isRegularFile);
  }

  private static String releaseHint() {
    String named = System.getProperty("aura.release.archive", System.getenv("AURA_RELEASE_ARCHIVE"));
    if (named != null && !named.isBlank()) {
      return "AURA_RELEASE_ARCHIVE names " + named + ", which is not a file";
    }
    String install = System.getenv("AURA_INSTALL_DIR");
    return install == null ? "it does not run from an installed release (AURA_INSTALL_DIR is not set)"
        : "there is none in " + Path.of(install).toAbsolutePath().getParent();
  }

  private static void json(Response response, Callback callback, ApiException e) {
    if (response.isCommitted()) {
      callback.failed(e);
      return;
    }
    response.setStatus(e.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    Content.Sink.write(response, true, Wire.write(e.body()) + "\n", callback);
  }

  static String remote(Request request) {
    String address = Request.getRemoteAddr(request);
    return address == null ? "unknown" : address;
  }
}
