package dev.aura.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatJsonTest {
  @Test
  void parse_readsStringsIntegersAndStringArrays() {
    Map<String, Object> parsed = FlatJson.parse(" {\"a\" : \"x\", \"n\":-12,\"l\":[\"p\", \"q\"], \"e\":[]} ");

    assertThat(parsed).containsExactly(Map.entry("a", "x"), Map.entry("n", -12L), Map.entry("l", List.of("p", "q")),
        Map.entry("e", List.of()));
  }

  @Test
  void parse_refusesDuplicateKeys() {
    assertThatThrownBy(() -> FlatJson.parse("{\"a\":1,\"a\":2}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate member \"a\" at offset 7");
  }

  @Test
  void parse_refusesEscapesNestingFloatsLiteralsAndTrailingContent() {
    assertThatThrownBy(() -> FlatJson.parse("{\"a\":\"\\u0041\"}")).hasMessageStartingWith("escape sequences");
    assertThatThrownBy(() -> FlatJson.parse("{\"a\":{\"b\":1}}")).hasMessageStartingWith("expected a string");
    assertThatThrownBy(() -> FlatJson.parse("{\"a\":1.5}")).hasMessageStartingWith("only integers");
    assertThatThrownBy(() -> FlatJson.parse("{\"a\":true}")).hasMessageStartingWith("expected a string");
    assertThatThrownBy(() -> FlatJson.parse("{\"a\":01}")).hasMessageStartingWith("malformed integer");
    assertThatThrownBy(() -> FlatJson.parse("{\"a\":1}x")).hasMessageStartingWith("unexpected content");
    assertThatThrownBy(() -> FlatJson.parse("{\"a\":99999999999999999999}"))
        .hasMessageStartingWith("integer out of range");
    assertThatThrownBy(() -> FlatJson.parse("{\"a\":\"\u00e9\"}")).hasMessageStartingWith("only printable ASCII");
    assertThatThrownBy(() -> FlatJson.parse("{\"a\":1")).hasMessageStartingWith("unexpected end of input");
  }

  @Test
  void write_thenParse_roundTrips() {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("alg", "ES256");
    members.put("seq", 3L);
    members.put("x5c", List.of("MIIB"));

    String json = FlatJson.write(members);

    assertThat(json).isEqualTo("{\"alg\":\"ES256\",\"seq\":3,\"x5c\":[\"MIIB\"]}");
    assertThat(FlatJson.parse(json)).isEqualTo(members);
  }
}
