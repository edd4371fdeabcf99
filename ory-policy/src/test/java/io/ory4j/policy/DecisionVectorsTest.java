package io.ory4j.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.json.OryJson;
import io.ory4j.policy.acp.AccessRequest;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.internal.AcpJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Decision vectors in Keto's JSON (src/test/resources/acp/decisions.json), indexed and scanning. */
class DecisionVectorsTest {

  private static final OryJson JSON = OryJson.create();
  private static final AcpJson CODEC = new AcpJson(JSON.mapper());

  @TestFactory
  Stream<DynamicTest> isAllowedWhenVectorThenExpected() throws IOException {
    JsonNode cases;
    try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/acp/decisions.json"))) {
      cases = JSON.readTree(in.readAllBytes());
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : cases) {
      Flavor flavor = Flavor.fromPathName(c.get("flavor").asText()).orElseThrow();
      for (boolean indexing : new boolean[] {true, false}) {
        PolicyEngine engine = PolicyEngine.builder().indexing(indexing).build();
        c.get("policies").forEach(p -> engine.upsertPolicy(flavor, CODEC.readPolicy(p)));
        if (c.has("roles")) {
          c.get("roles").forEach(r -> engine.upsertRole(flavor, CODEC.readRole(r)));
        }
        int i = 0;
        for (JsonNode q : c.get("requests")) {
          boolean expected = q.get("allowed").asBoolean();
          com.fasterxml.jackson.databind.node.ObjectNode body = q.deepCopy();
          body.remove("allowed");
          AccessRequest request = CODEC.readRequest(flavor, body);
          tests.add(DynamicTest.dynamicTest(c.get("name").asText() + " #" + i++ + (indexing ? "" : " (scan)"),
              () -> assertEquals(expected, engine.isAllowed(request), request.toString())));
        }
      }
    }
    return tests.stream();
  }
}
