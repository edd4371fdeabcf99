package io.ory4j.identity.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.json.OryJson;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ory4j's Jsonnet subset: Kratos' documented templates evaluate; everything outside the subset is refused early. */
class JsonnetSubsetTest {

  private static final OryJson JSON = OryJson.create();

  private static JsonNode ctx(String email) {
    return JSON.readTree("{\"identity\":{\"id\":\"7\",\"traits\":{\"email\":\"" + email + "\",\"newsletter\":true},"
        + "\"verifiable_addresses\":[{\"value\":\"a\"},{\"value\":\"b\"}]},\"request_method\":\"POST\","
        + "\"request_headers\":{\"User-Agent\":[\"curl/8\"]}}");
  }

  private static String resource(String name) throws Exception {
    try (var in = Objects.requireNonNull(JsonnetSubsetTest.class.getResourceAsStream("/hooks/" + name))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void evaluateWhenKratosDocsExampleThenItsJson() throws Exception {
    JsonNode out = JsonnetSubset.parse(resource("kratos-docs-example.jsonnet")).evaluate(ctx("ada@example.com"));
    assertEquals(JSON.readTree("{\"userId\":\"7\",\"traits\":{\"email\":\"ada@example.com\",\"name\":"
        + "\"ada@example.com (POST)\"},\"newsletter\":true,\"agent\":\"curl/8\",\"addresses\":2,"
        + "\"flags\":[true,false,null,1.5,-2]}"), out);
  }

  @Test
  void evaluateWhenTemplateSaysCancelThenExplicitCancelError() throws Exception {
    JsonnetSubset t = JsonnetSubset.parse(resource("kratos-docs-example.jsonnet"));
    JsonnetSubset.EvaluationError e = assertThrows(JsonnetSubset.EvaluationError.class,
        () -> t.evaluate(ctx("test-ada@example.com")));
    assertTrue(e.explicit());
    assertEquals("cancel", e.getMessage());
  }

  @Test
  void evaluateWhenConditionalFieldFalseThenFieldOmittedAndMissingFieldIsAnError() {
    JsonNode c = JSON.readTree("{\"identity\":{\"traits\":{}}}");
    assertEquals(JSON.readTree("{}"), JsonnetSubset.parse("function(ctx) { [if \"x\" in ctx.identity.traits then "
        + "\"x\"]: ctx.identity.traits.x }").evaluate(c));
    JsonnetSubset.EvaluationError e = assertThrows(JsonnetSubset.EvaluationError.class,
        () -> JsonnetSubset.parse("function(ctx) { x: ctx.identity.traits.x }").evaluate(c));
    assertFalse(e.explicit());
    assertTrue(e.getMessage().contains("field does not exist: x"), e.getMessage());
  }

  @Test
  void evaluateOperators() {
    JsonNode c = JSON.readTree("{\"a\":1,\"b\":[1,2],\"o\":{\"k\":\"v\"},\"s\":\"x\"}");
    assertEquals(JSON.readTree("{\"sum\":3,\"cat\":[1,2,3],\"merge\":{\"k\":\"w\",\"z\":1},\"str\":\"x1\","
        + "\"eq\":true,\"ne\":true,\"and\":false,\"or\":true,\"not\":false,\"idx\":2,\"obj\":\"v\","
        + "\"ends\":true,\"has\":true,\"noelse\":null,\"deq\":true,\"len\":1}"),
        JsonnetSubset.parse("function(c) { sum: c.a + 2, cat: c.b + [3], merge: c.o + {k: 'w', z: 1}, "
            + "str: c.s + c.a, eq: c.a == 1.0, ne: c.s != 'y', and: true && false, or: false || true, "
            + "not: !true, idx: c.b[1], obj: c.o['k'], ends: std.endsWith('abc', 'bc'), "
            + "has: std.objectHas(c.o, 'k'), noelse: if false then 1, deq: c.b == [1, 2], "
            + "len: std.length(c.o), }").evaluate(c));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{ a: 1 }",                                       // not a function
      "function(ctx) local x = 1; x",                   // local
      "function(ctx) import 'x.libsonnet'",             // import
      "function(ctx) std.extVar('secret')",             // std.extVar
      "function(ctx) std.native('f')(1)",               // other std functions
      "function(ctx) { a:: 1 }",                        // hidden fields
      "function(ctx) { a+: 1 }",                        // +:
      "function(ctx) [x for x in ctx.list]",            // comprehensions
      "function(ctx) self.a",                           // self
      "function(ctx) other.a",                          // unknown variable
      "function(ctx) ctx.a * 2",                        // other operators
      "function(ctx) function(x) x",                    // nested functions
      "function(ctx) ctx.f(1)",                         // calls
      "function(ctx) { a: 1 } trailing",                // junk after the body
      "function(ctx) \"unterminated",
  })
  void parseWhenOutsideTheSubsetThenSyntaxErrorWithPosition(String template) {
    JsonnetSubset.SyntaxError e = assertThrows(JsonnetSubset.SyntaxError.class, () -> JsonnetSubset.parse(template));
    assertTrue(e.getMessage().startsWith("line "), e.getMessage());
  }

  @Test
  void parseWhenNestedTooDeepThenSyntaxErrorNotStackOverflow() {
    String deep = "function(ctx) " + "[".repeat(5000) + "]".repeat(5000);
    assertThrows(JsonnetSubset.SyntaxError.class, () -> JsonnetSubset.parse(deep));
  }

  @Property
  void stringLiteralsEvaluateToThemselves(@ForAll String s) {
    String literal = JSON.write(s);   // a JSON string is a Jsonnet string
    assertEquals(s, JsonnetSubset.parse("function(ctx) " + literal).evaluate(JSON.object()).asText());
  }

  @Property
  void plusConcatenatesStringsAndLengthCountsCodePoints(@ForAll String a, @ForAll String b) {
    JsonNode c = JSON.object().put("a", a).put("b", b);
    assertEquals(a + b, JsonnetSubset.parse("function(ctx) ctx.a + ctx.b").evaluate(c).asText());
    assertEquals((a + b).codePointCount(0, (a + b).length()),
        JsonnetSubset.parse("function(ctx) std.length(ctx.a + ctx.b)").evaluate(c).asInt());
  }

  @Property
  void integersStayIntegers(@ForAll @IntRange(min = -1_000_000, max = 1_000_000) int x) {
    JsonNode c = JSON.object().put("x", x);
    JsonNode out = JsonnetSubset.parse("function(ctx) { y: ctx.x + 1 }").evaluate(c);
    assertTrue(out.get("y").isIntegralNumber());
    assertEquals(x + 1L, out.get("y").asLong());
  }
}
