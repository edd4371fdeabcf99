package io.ory4j.oauth2.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ory4j.core.json.OryJson;
import java.io.IOException;

/**
 * Reads request bodies as Hydra does: a missing boolean or number is its zero value (Go's default), unknown fields
 * are ignored. Errors are the same 400s as {@link OryJson}'s.
 */
public final class LenientJson {

  private static final ObjectMapper MAPPER = OryJson.baseBuilder()
      .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private LenientJson() {}

  public static <T> T read(byte[] body, Class<T> type) {
    try {
      T v = MAPPER.readValue(body, type);
      if (v == null) {
        throw io.ory4j.core.error.OryException.badRequest("The request body must be a JSON object.");
      }
      return v;
    } catch (IOException e) {
      throw OryJson.malformed(e);
    }
  }

  public static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (IOException | IllegalArgumentException e) {
      throw OryJson.malformed(e);
    }
  }
}
