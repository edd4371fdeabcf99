package io.ory4j.accessrules.internal.handlers;

import io.ory4j.accessrules.internal.template.Template;
import io.ory4j.accessrules.spi.AcpDecider;
import io.ory4j.accessrules.spi.Authorizer;
import io.ory4j.accessrules.spi.HandlerConfig;
import io.ory4j.accessrules.spi.HandlerFactory;
import io.ory4j.accessrules.spi.HandlerServices;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Oathkeeper's authorizers. */
public final class Authorizers {
  private Authorizers() {}

  public static List<HandlerFactory<Authorizer>> all() {
    return List.of(
        new Factories<>("allow", c -> (r, s) -> { }),
        new Factories<>("deny", c -> (r, s) -> {
          throw Errors.forbidden("The deny authorizer refuses every request.");
        }),
        new Factories<>("keto_engine_acp_ory", Authorizers::keto),
        new Factories<>("remote", c -> remote(c, false)),
        new Factories<>("remote_json", c -> remote(c, true)));
  }

  private static Authorizer keto(HandlerConfig c) {
    Template action = Templates.one(c, "required_action", c.string("required_action", "unset"));
    Template resource = Templates.one(c, "required_resource", c.string("required_resource", "unset"));
    String subjectSource = c.string("subject", "");
    Template subject = subjectSource.isEmpty() ? null : Templates.one(c, "subject", subjectSource);
    String flavor = c.string("flavor", "regex");
    Duration timeout = c.duration("timeout", c.services().timeout());
    AcpDecider decider;
    if (c.has("base_url")) {
      URI base = c.url("base_url");
      HandlerServices svc = c.services();
      decider = (fl, req) -> {
        String b = base.toString().replaceAll("/+$", "");
        URI u = URI.create(b + "/engines/acp/ory/" + fl + "/allowed");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", req.action());
        body.put("context", req.context());
        body.put("resource", req.resource());
        body.put("subject", req.subject());
        HttpResponse<byte[]> res = Remote.send(svc, "POST", u, Map.of("Content-Type", "application/json"),
            svc.json().writeBytes(body), timeout);
        if (res.statusCode() == 403) {
          return false;
        }
        if (res.statusCode() != 200) {
          throw Errors.internal("expected status code 200 but got " + res.statusCode());
        }
        try {
          return svc.json().mapper().readTree(res.body()).path("allowed").asBoolean(false);
        } catch (java.io.IOException e) {
          throw Errors.internal("The ACP engine answered with invalid JSON.");
        }
      };
    } else if (c.services().acp() != null) {
      decider = c.services().acp();
    } else {
      throw c.invalid("base_url", "is required (no in-process ACP engine is configured)");
    }
    return (r, s) -> {
      String sub = subject == null ? s.subject() : Templates.render(subject, s);
      Map<String, Object> context = new LinkedHashMap<>();
      context.put("remoteIpAddress", r.request().remoteAddress());
      context.put("requestedAt", c.services().clock().instant().toString());
      boolean allowed = decider.allowed(flavor, new AcpDecider.AcpRequest(sub, Templates.render(action, s),
          Templates.render(resource, s), context));
      if (!allowed) {
        throw Errors.forbidden("The ACP engine denied the request.");
      }
    };
  }

  private static Authorizer remote(HandlerConfig c, boolean json) {
    URI url = c.url("remote");
    Map<String, Template> headers = Templates.map(c, "headers");
    Template payload = json ? Templates.one(c, "payload", c.string("payload")) : null;
    List<String> forward = c.strings("forward_response_headers_to_upstream");
    Duration timeout = c.duration("timeout", c.services().timeout());
    Remote.Retry retry = Remote.Retry.from(c);
    HandlerServices svc = c.services();
    Authorizer authorizer = (r, s) -> {
      Map<String, String> h = new LinkedHashMap<>();
      byte[] body;
      if (json) {
        String rendered = Templates.render(payload, s);
        try {
          svc.json().mapper().readTree(rendered);
        } catch (java.io.IOException e) {
          throw Errors.internal("The remote_json payload is not valid JSON after rendering.");
        }
        body = rendered.getBytes(StandardCharsets.UTF_8);
        h.put("Content-Type", "application/json");
      } else {
        body = r.request().body();
        r.request().header("Content-Type").ifPresent(v -> h.put("Content-Type", v));
      }
      // both pass the request's Authorization on, as Oathkeeper does
      r.request().header("Authorization").filter(v -> !v.isEmpty()).ifPresent(v -> h.put("Authorization", v));
      headers.forEach((k, t) -> {
        String v = Templates.render(t, s);
        if (!v.isEmpty()) { // Oathkeeper does not send a header whose template rendered empty
          h.put(k, v);
        }
      });
      HttpResponse<byte[]> res = Remote.send(svc, "POST", url, h, body, timeout, retry);
      if (res.statusCode() == 429) { // Oathkeeper: too many requests, with the remote's rate-limit headers
        throw io.ory4j.accessrules.internal.RateLimitedException.of(res.headers()::firstValue)
            .withReason("The remote authorizer answered 429");
      }
      if (res.statusCode() == 403) {
        throw Errors.forbidden("The remote authorizer denied the request.");
      }
      if (res.statusCode() != 200) {
        throw Errors.internal("expected status code 200 but got " + res.statusCode());
      }
      for (String name : forward) { // as Oathkeeper: set even when the remote did not send it (then empty)
        s.setHeader(name, res.headers().firstValue(name).orElse(""));
      }
    };
    if (json) {
      return authorizer;
    }
    // remote posts the request body (Oathkeeper tees it and hands it on): ask the pipeline to buffer it
    return new Authorizer() {
      @Override
      public void authorize(io.ory4j.accessrules.spi.RequestContext r, io.ory4j.accessrules.spi.AuthenticationSession s) {
        authorizer.authorize(r, s);
      }

      @Override
      public boolean needsRequestBody() {
        return true;
      }
    };
  }
}
