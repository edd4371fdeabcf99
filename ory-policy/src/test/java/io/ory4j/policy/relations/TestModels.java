package io.ory4j.policy.relations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Test data under src/test/resources/relations. */
public final class TestModels {
  private TestModels() {}

  public static String resource(String name) {
    try (InputStream in = TestModels.class.getResourceAsStream("/relations/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
