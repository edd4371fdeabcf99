package io.ory4j.oauth2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.error.OryException;
import io.ory4j.core.json.OryJson;
import org.junit.jupiter.api.Test;

class JsonPatchTest {

  private final OryJson json = OryJson.create();

  private JsonNode patch(String doc, String patch) {
    return JsonPatch.apply(json.readTree(patch), json.readTree(doc));
  }

  @Test
  void applyWhenRfc6902ExamplesThenExpectedDocuments() {
    assertEquals(json.readTree("{\"foo\":\"bar\",\"baz\":\"qux\"}"),
        patch("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]"));
    assertEquals(json.readTree("{\"foo\":[\"bar\",\"qux\",\"baz\"]}"),
        patch("{\"foo\":[\"bar\",\"baz\"]}", "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]"));
    assertEquals(json.readTree("{\"foo\":\"bar\"}"),
        patch("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/baz\"}]"));
    assertEquals(json.readTree("{\"baz\":\"boo\",\"foo\":\"bar\"}"),
        patch("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}]"));
    assertEquals(json.readTree("{\"a\":[1,2,3]}"),
        patch("{\"a\":[1,2]}", "[{\"op\":\"add\",\"path\":\"/a/-\",\"value\":3}]"));
    assertEquals(json.readTree("{\"b\":1}"),
        patch("{\"a\":1}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/b\"}]"));
  }

  @Test
  void applyWhenTestFailsOrPathMissingThen400AndDocumentUntouched() {
    JsonNode doc = json.readTree("{\"a\":1}");
    assertThrows(OryException.class, () -> JsonPatch.apply(json.readTree(
        "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2},{\"op\":\"test\",\"path\":\"/a\",\"value\":1}]"), doc));
    assertEquals(json.readTree("{\"a\":1}"), doc);
    assertThrows(OryException.class, () -> patch("{}", "[{\"op\":\"remove\",\"path\":\"/nope\"}]"));
    assertThrows(OryException.class, () -> patch("{}", "[{\"op\":\"jump\",\"path\":\"/a\"}]"));
    assertThrows(OryException.class, () -> patch("{}", "{}"));
  }
}
