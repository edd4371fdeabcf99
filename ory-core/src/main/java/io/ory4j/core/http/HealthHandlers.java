package io.ory4j.core.http;

import io.ory4j.core.json.OryJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Ory's health endpoints: {@code GET /health/alive} answers 200 {@code {"status":"ok"}} while the process serves
 * requests; {@code GET /health/ready} runs the readiness checks (for example a database ping) and answers 200
 * {@code {"status":"ok"}}, or 503 {@code {"errors":{"<check>":"<message>"}}} as Ory's healthx does.
 */
public final class HealthHandlers {

  /** A readiness check: null when ready, else why not. */
  @FunctionalInterface
  public interface ReadinessCheck extends Supplier<@Nullable String> {}

  private final OryJson json;
  private final Map<String, ReadinessCheck> checks;

  public HealthHandlers(OryJson json, Map<String, ReadinessCheck> checks) {
    this.json = Objects.requireNonNull(json, "json");
    this.checks = Map.copyOf(checks);
  }

  /** A router with both endpoints. */
  public Router router() {
    return Router.builder(new OryErrorRenderer(json))
        .get("/health/alive", r -> HttpResponse.json(200, json.writeBytes(Map.of("status", "ok"))))
        .get("/health/ready", this::ready)
        .build();
  }

  private HttpResponse ready(HttpRequest request) {
    Map<String, String> errors = new LinkedHashMap<>();
    checks.forEach((name, check) -> {
      String problem;
      try {
        problem = check.get();
      } catch (RuntimeException e) {
        problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
      if (problem != null) {
        errors.put(name, problem);
      }
    });
    if (errors.isEmpty()) {
      return HttpResponse.json(200, json.writeBytes(Map.of("status", "ok")));
    }
    return HttpResponse.json(503, json.writeBytes(Map.of("errors", errors)));
  }
}
