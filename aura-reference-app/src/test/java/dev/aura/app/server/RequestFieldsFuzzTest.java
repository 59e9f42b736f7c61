package dev.aura.app.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.aura.app.protocol.Wire;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jetty.util.Fields;

/**
 * Coverage-guided fuzz test of everything the Mothership reads from a request besides the JSON body
 * ({@link RequestFields}, docs/security.md "Fuzzing"): a value, or an {@link ApiException} with a 4xx status;
 * never another exception. The first byte picks the field (0 the {@code Authorization} bearer, 1 the protocol
 * header, 2 a query string and the values read from it, 3 a sync route, 4 a body with its declared length);
 * the rest is the text as sent. Regression corpus:
 * {@code src/test/resources/dev/aura/app/server/RequestFieldsFuzzTestInputs/requestFields/}.
 */
class RequestFieldsFuzzTest {
  private static final String[] METHODS = {"GET", "PUT", "POST", "DELETE"};

  @FuzzTest(maxDuration = "2m")
  void requestFields(byte[] data) {
    if (data.length < 2) {
      return;
    }
    byte[] rest = Arrays.copyOfRange(data, 2, data.length);
    String text = new String(rest, StandardCharsets.UTF_8);
    try {
      switch (Math.floorMod(data[0], 5)) {
        case 0 -> {
          String bearer = RequestFields.bearer(text);
          if (bearer != null && (!bearer.equals(bearer.trim()) || !text.contains(bearer))) {
            throw new AssertionError("bearer not the trimmed rest of the header: " + text);
          }
        }
        case 1 -> RequestFields.checkProtocol(text, Wire.PROTOCOL_VERSION, null);
        case 2 -> {
          Fields query = RequestFields.query(text);
          RequestFields.nonNegative("since", query.getValue("since"), 0);
          RequestFields.nonNegative("limit", query.getValue("limit"), 10_000);
          RequestFields.since(query.getValue("since"));
          RequestFields.auditTypes(query.getValue("filter"));
        }
        case 3 -> RequestFields.syncRoute(text, METHODS[Math.floorMod(data[1], METHODS.length)]);
        default -> RequestFields.jsonBody(new ByteArrayInputStream(rest), data[1] < 0 ? -1 : rest.length,
            Wire.MAX_BODY_BYTES);
      }
    } catch (ApiException e) {
      if (e.status() < 400 || e.status() > 499) {
        throw new AssertionError("not a 4xx: " + e.status() + " " + e.getMessage());
      }
    } catch (java.io.IOException e) {
      throw new AssertionError("a byte array does not fail to read", e);
    }
  }
}
