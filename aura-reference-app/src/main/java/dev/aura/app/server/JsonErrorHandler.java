package dev.aura.app.server;

import dev.aura.app.protocol.Wire;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (a request line, header or URI it cannot parse, headers too large) in the Mothership's
 * JSON error shape, {@code {"error", "code", "detail"}}, instead of Jetty's HTML page; never a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  protected void generateResponse(Request request, Response response, int status, String message,
      Throwable cause, Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    Content.Sink.write(response, true, json(status, message), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(json(status, reason).getBytes(StandardCharsets.UTF_8));
  }

  /** @return the error body of a status Jetty chose, with Jetty's reason as the detail */
  static String json(int status, String reason) {
    String code = switch (status) {
      case 400 -> "bad_request";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413, 414, 431 -> "too_large";
      case 500 -> "internal";
      default -> "http_" + status;
    };
    String error = status == 500 ? "internal error" : HttpStatus.getMessage(status).toLowerCase(java.util.Locale.ROOT);
    String detail = status == 500 ? "see the Mothership's log"
        : reason == null || reason.isBlank() ? null : RequestFields.printable(reason);
    return Wire.write(new ApiException(status, code, error, detail).body()) + "\n";
  }
}
