package dev.aura.app.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aura.access.AccessDecision;
import dev.aura.access.SyncAction;
import dev.aura.app.protocol.Wire;
import dev.aura.spi.StoreException;
import dev.aura.spi.WorkspaceName;
import dev.aura.sync.ContentHash;
import dev.aura.sync.EventLog;
import dev.aura.sync.EventLogException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * The content routes of the sync plane, under {@link Wire#SYNC}: {@code PUT} and {@code GET}
 * {@code <workspace>/blobs/<sha256>} (raw bytes, at most {@code [sync] max_file_size}, verified against the
 * hash while they stream in), and {@code POST <workspace>/blobs/missing} (which of these hashes the Mothership
 * lacks). A peer authenticates with its refresh credential; the access policy decides ({@code PUSH} to
 * upload, {@code PULL} to download and to ask what is missing), so a read-only or revoked peer, or one limited
 * to other workspaces, gets the same refusal as on the control connection.
 */
final class BlobRoutes {
  private static final int MAX_MISSING_QUERY = 500;

  private final MothershipService mothership;

  BlobRoutes(MothershipService mothership) {
    this.mothership = mothership;
  }

  /** What a route answers: JSON, or a blob stream. */
  sealed interface Answer permits Json, Blob {}

  /** @param body a JSON answer */
  record Json(JsonNode body) implements Answer {}

  /** @param content the blob, @param size its length */
  record Blob(InputStream content, long size) implements Answer {}

  /**
   * @param session the authenticated peer
   * @throws ApiException 404 for an unknown route or blob, 403 when the policy refuses, 400 for bad input
   */
  Answer handle(Request request, MothershipService.PeerSession session, ObjectNodeSupplier jsonBody)
      throws ApiException, StoreException, IOException {
    RequestFields.SyncRoute route = RequestFields.syncRoute(
        request.getHttpURI().getPath().substring(Wire.SYNC.length()), request.getMethod());
    WorkspaceName workspace = route.workspace();
    EventLog log = mothership.eventLog();
    if (route.missing()) {
      require(session, SyncAction.PULL, workspace);
      JsonNode hashes = jsonBody.get().path("hashes");
      if (!hashes.isArray() || hashes.size() > MAX_MISSING_QUERY) {
        throw ApiException.badRequest("invalid request", "'hashes' must be an array of at most "
            + MAX_MISSING_QUERY + " SHA-256 hex strings");
      }
      ObjectNode body = Wire.object();
      ArrayNode missing = body.putArray("missing");
      for (JsonNode h : hashes) {
        ContentHash hash = RequestFields.contentHash(h.asText(""));
        if (!exists(log, workspace, hash)) {
          missing.add(hash.hex());
        }
      }
      return new Json(body);
    }
    ContentHash hash = route.hash();
    switch (request.getMethod()) {
      case "PUT" -> {
        require(session, SyncAction.PUSH, workspace);
        long limit = mothership.config().sync().maxFileSize();
        if (request.getLength() > limit) {
          throw new ApiException(413, "too_large", "file too large", request.getLength() + " bytes, larger than"
              + " [sync] max_file_size (" + limit + " bytes): not synced");
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
          log.putBlob(workspace, hash, in);
        } catch (IOException e) { // the peer went away mid-upload: nothing was stored
          throw ApiException.badRequest("upload incomplete", "the content of " + hash.abbreviated()
              + " ended early; nothing was stored");
        } catch (EventLogException e) {
          throw switch (e.reason()) {
            case BAD_CONTENT -> ApiException.badRequest("content does not match its hash", e.getMessage());
            case TOO_LARGE -> new ApiException(413, "too_large", "file too large", e.getMessage());
            default -> ApiException.storeUnreachable("storing content " + hash.abbreviated() + " of " + workspace, e);
          };
        }
        ObjectNode body = Wire.object();
        body.put("stored", hash.hex());
        return new Json(body);
      }
      case "GET" -> {
        require(session, SyncAction.PULL, workspace);
        try {
          Optional<Long> size = log.blobSize(workspace, hash);
          Optional<InputStream> in = log.openBlob(workspace, hash);
          if (size.isEmpty() || in.isEmpty()) {
            throw ApiException.notFound("no such content", hash.abbreviated() + " is not in " + workspace);
          }
          return new Blob(in.get(), size.get());
        } catch (EventLogException e) {
          throw ApiException.storeUnreachable("reading content " + hash.abbreviated() + " of " + workspace, e);
        }
      }
      default -> throw new ApiException(405, "method_not_allowed", "method not allowed", request.getMethod());
    }
  }

  /** Supplies the request's JSON body, read on demand. */
  interface ObjectNodeSupplier {
    ObjectNode get() throws ApiException, IOException;
  }

  private static boolean exists(EventLog log, WorkspaceName workspace, ContentHash hash) throws ApiException {
    try {
      return log.hasBlob(workspace, hash);
    } catch (EventLogException e) {
      throw ApiException.storeUnreachable("looking up content " + hash.abbreviated() + " of " + workspace, e);
    }
  }

  private void require(MothershipService.PeerSession session, SyncAction action, WorkspaceName workspace)
      throws ApiException, StoreException {
    AccessDecision d = mothership.access().decide(mothership.grantOf(session.peer()), action, workspace);
    if (!d.isAllowed()) {
      String text = d.denial().orElseThrow().text();
      String message = d.message().orElseThrow();
      throw new ApiException(403, d.denial().orElseThrow().code(), text, message.substring(text.length() + 2));
    }
  }

  /** Streams a blob answer. */
  static void write(Response response, Blob blob) throws IOException {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Long.toString(blob.size()));
    try (InputStream in = blob.content(); OutputStream out = Content.Sink.asOutputStream(response)) {
      in.transferTo(out);
    }
  }
}
