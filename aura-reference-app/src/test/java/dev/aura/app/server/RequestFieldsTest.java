package dev.aura.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.app.protocol.Wire;
import org.junit.jupiter.api.Test;

/** Findings of {@link RequestFieldsFuzzTest}, each pinned; and the wording of the fields it reads. */
class RequestFieldsTest {

  @Test
  void queryWithABadPercentEscape_isAnInvalidQuery_notAnInternalError() {
    // before: Jetty's query decoder threw IllegalArgumentException, answered as 500 "internal error"
    for (String query : new String[] {"since=%zz&limit=%", "since=%C3%28", "a=%"}) {
      assertThatThrownBy(() -> RequestFields.query(query)).as(query)
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.body().path("error").asText()).isEqualTo("invalid query");
            assertThat(e.body().path("detail").asText()).isEqualTo("the query string is not URL-encoded UTF-8");
          });
    }
  }

  @Test
  void protocolHeaderWithControlCharacters_isAMismatchShowingThemAsQuestionMarks() {
    assertThatThrownBy(() -> RequestFields.checkProtocol("\u00012\u007f", Wire.PROTOCOL_VERSION, null))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.body().path("code").asText()).isEqualTo("protocol_mismatch");
          assertThat(e.body().path("error").asText()).isEqualTo(Wire.mismatch("2?", Wire.PROTOCOL_VERSION));
        });
  }

  @Test
  void bearer_isTheTrimmedRestOfABearerHeader_andNullForAnyOtherScheme() {
    assertThat(RequestFields.bearer("bearer  abc ")).isEqualTo("abc");
    assertThat(RequestFields.bearer("Basic dXNlcjpwYXNz")).isNull();
    assertThat(RequestFields.bearer("Bearer")).isNull();
    assertThat(RequestFields.bearer(null)).isNull();
  }

  @Test
  void syncRoute_readsWorkspaceAndHash_andRefusesOtherShapesAs404Or400() throws Exception {
    String hash = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    assertThat(RequestFields.syncRoute("widget/blobs/" + hash, "GET").hash().hex()).isEqualTo(hash);
    assertThat(RequestFields.syncRoute("widget/blobs/missing", "POST").missing()).isTrue();
    assertThatThrownBy(() -> RequestFields.syncRoute("widget/blobs/missing", "GET"))
        .hasMessageStartingWith("invalid content hash");
    assertThatThrownBy(() -> RequestFields.syncRoute("widget/blobs", "GET"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> RequestFields.syncRoute("../blobs/" + hash, "PUT"))
        .hasMessageStartingWith("invalid workspace");
  }
}
