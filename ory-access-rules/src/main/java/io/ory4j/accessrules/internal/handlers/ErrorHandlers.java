package io.ory4j.accessrules.internal.handlers;

import io.ory4j.accessrules.spi.ErrorHandler;
import io.ory4j.accessrules.spi.HandlerConfig;
import io.ory4j.accessrules.spi.HandlerFactory;
import io.ory4j.core.error.OryError;
import io.ory4j.core.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Oathkeeper's error handlers (their {@code when} is checked by the pipeline). */
public final class ErrorHandlers {
  private ErrorHandlers() {}

  public static List<HandlerFactory<ErrorHandler>> all() {
    return List.of(
        new Factories<>("json", ErrorHandlers::json),
        new Factories<>("redirect", ErrorHandlers::redirect),
        new Factories<>("www_authenticate", ErrorHandlers::wwwAuthenticate));
  }

  private static ErrorHandler json(HandlerConfig c) {
    boolean verbose = c.bool("verbose", false);
    return (r, e) -> {
      OryError err = e.error();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("code", err.code());
      body.put("status", err.status());
      if (verbose && err.reason() != null) {
        body.put("reason", err.reason());
      }
      if (r.request().requestId().isPresent()) {
        body.put("request", r.request().requestId().get());
      }
      body.put("message", err.message());
      return HttpResponse.json(err.code(), c.services().json().writeBytes(Map.of("error", body)));
    };
  }

  private static ErrorHandler redirect(HandlerConfig c) {
    String to = c.url("to").toString();
    int code = c.integer("code", 302);
    if (code != 301 && code != 302) {
      throw c.invalid("code", "must be 301 or 302");
    }
    String param = c.string("return_to_query_param", "");
    return (r, e) -> {
      String location = to;
      if (!param.isEmpty()) {
        location += (to.contains("?") ? "&" : "?") + URLEncoder.encode(param, StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(r.url().toString(), StandardCharsets.UTF_8);
      }
      return HttpResponse.redirect(code, location);
    };
  }

  private static ErrorHandler wwwAuthenticate(HandlerConfig c) {
    String realm = c.string("realm", "Please authenticate.");
    return (r, e) -> HttpResponse.builder(401).header("WWW-Authenticate", "Basic realm=" + realm)
        .header("Content-Type", "text/plain; charset=utf-8").body("Unauthorized\n").build();
  }
}
