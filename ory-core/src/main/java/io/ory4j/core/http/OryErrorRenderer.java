package io.ory4j.core.http;

import io.ory4j.core.error.OryError;
import io.ory4j.core.error.OryException;
import io.ory4j.core.json.OryJson;
import java.util.Objects;

/** Renders Ory's error JSON: {@code {"error":{"code","status","reason","message","request","details"}}}. */
public final class OryErrorRenderer implements ErrorRenderer {

  private final OryJson json;

  public OryErrorRenderer(OryJson json) {
    this.json = Objects.requireNonNull(json, "json");
  }

  @Override
  public HttpResponse render(OryException error, HttpRequest request) {
    OryError e = error.error().withRequest(request.requestId().orElse(error.error().request()));
    HttpResponse.Builder b = HttpResponse.builder(e.code())
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Cache-Control", "no-store")
        .body(json.writeBytes(e.envelope()));
    return b.build();
  }
}
