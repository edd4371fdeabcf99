package io.ory4j.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ory4j.core.error.OryException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OryJsonTest {

  record Item(@JsonProperty("client_id") String clientId, @JsonProperty("created_at") Instant createdAt,
      Optional<String> note, int count) {}

  private final OryJson json = OryJson.create();

  @Test
  void writeWhenInstantThenIso8601String() {
    String s = json.write(new Item("c", Instant.parse("2026-01-02T03:04:05.123Z"), Optional.empty(), 1));
    assertEquals("{\"client_id\":\"c\",\"created_at\":\"2026-01-02T03:04:05.123Z\",\"count\":1}", s);
  }

  @Test
  void readWhenRoundTripThenEqual() {
    Item item = new Item("c", Instant.parse("2026-01-02T03:04:05Z"), Optional.of("n"), 2);
    assertEquals(item, json.read(json.writeBytes(item), Item.class));
  }

  @Test
  void readWhenUnknownPropertyThenIgnoredByDefaultAndRefusedWhenStrict() {
    String in = "{\"client_id\":\"c\",\"created_at\":\"2026-01-02T03:04:05Z\",\"count\":1,\"extra\":true}";
    assertEquals("c", json.read(in, Item.class).clientId());
    OryException e = assertThrows(OryException.class, () -> OryJson.strict().read(in, Item.class));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("\"extra\""), e.getMessage());
  }

  @Test
  void readWhenSyntaxErrorThen400WithPosition() {
    OryException e = assertThrows(OryException.class, () -> json.read("{\"client_id\": ", Item.class));
    assertEquals(400, e.status());
    assertThat(e.getMessage()).contains("not valid JSON").contains("line 1");
  }

  @Test
  void readWhenWrongTypeThen400NamingThePath() {
    OryException e = assertThrows(OryException.class,
        () -> json.read("{\"client_id\":\"c\",\"count\":\"many\"}", Item.class));
    assertEquals(400, e.status());
    assertThat(e.getMessage()).contains("/count");
  }

  @Test
  void readWhenTrailingTokensThen400() {
    assertThrows(OryException.class, () -> json.read("{\"count\":1} {}", Item.class));
  }

  @Test
  void readTreeWhenEmptyThen400() {
    OryException e = assertThrows(OryException.class, () -> json.readTree(new byte[0]));
    assertEquals(400, e.status());
  }
}
