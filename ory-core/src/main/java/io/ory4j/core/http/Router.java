package io.ory4j.core.http;

import io.ory4j.core.error.OryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests by method and path template ({@code /admin/clients/{id}}; a final {@code {name...}} takes the rest
 * of the path) and renders errors: an {@link OryException} with the route's {@link ErrorRenderer}, anything else as a
 * generic 500 with no detail (the cause is logged, never sent). An unknown path is a 404 and a known path with
 * another method a 405 with {@code Allow}, both in Ory's error JSON.
 *
 * <p>Routers compose: {@link Builder#mount} adds every route of another router, keeping its renderers.
 */
public final class Router implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private final List<Route> routes;
  private final ErrorRenderer defaultRenderer;

  private Router(Builder b) {
    this.routes = List.copyOf(b.routes);
    this.defaultRenderer = b.defaultRenderer;
  }

  /** A router whose errors render with {@code renderer} unless a route says otherwise. */
  public static Builder builder(ErrorRenderer renderer) {
    return new Builder(renderer);
  }

  /** The routes, in registration order. */
  public List<Route> routes() {
    return routes;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    Set<String> allowed = new LinkedHashSet<>();
    for (Route r : routes) {
      Map<String, String> params = r.template().match(request.path());
      if (params == null) {
        continue;
      }
      if (!r.method().equals(request.method())
          && !("HEAD".equals(request.method()) && "GET".equals(r.method()))) {
        allowed.add(r.method());
        continue;
      }
      return invoke(r, params.isEmpty() ? request : request.withPathParams(params));
    }
    if (!allowed.isEmpty()) {
      HttpResponse r = defaultRenderer.render(OryException.of(405, "The requested method is not allowed on this "
          + "resource."), request);
      return r.toBuilder().header("Allow", String.join(", ", allowed)).build();
    }
    return defaultRenderer.render(OryException.notFound("The requested resource could not be found")
        .withReason("no route for " + request.method() + " " + request.path()), request);
  }

  /** True when some route matches the request's path (any method). */
  public boolean matches(HttpRequest request) {
    return routes.stream().anyMatch(r -> r.template().match(request.path()) != null);
  }

  private static HttpResponse invoke(Route r, HttpRequest request) {
    try {
      return r.handler().handle(request);
    } catch (OryException e) {
      if (e.status() >= 500) {
        log.error("{} {} failed: {}", request.method(), request.path(), e.getMessage(), e.getCause());
      } else {
        log.debug("{} {} answered {}: {}", request.method(), request.path(), e.status(), e.getMessage());
      }
      return r.renderer().render(e, request);
    } catch (RuntimeException e) {
      log.error("{} {} failed with an unexpected error", request.method(), request.path(), e);
      return r.renderer().render(OryException.internal("An internal server error occurred, please contact the "
          + "system administrator"), request);
    }
  }

  /** A route. */
  public record Route(String method, PathTemplate template, HttpHandler handler, ErrorRenderer renderer) {
    public Route {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(template, "template");
      Objects.requireNonNull(handler, "handler");
      Objects.requireNonNull(renderer, "renderer");
    }
  }

  /** Builds a {@link Router}. */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();
    private final ErrorRenderer defaultRenderer;

    private Builder(ErrorRenderer renderer) {
      this.defaultRenderer = Objects.requireNonNull(renderer, "renderer");
    }

    public Builder route(String method, String template, HttpHandler handler) {
      return route(method, template, handler, defaultRenderer);
    }

    public Builder route(String method, String template, HttpHandler handler, ErrorRenderer renderer) {
      routes.add(new Route(method.toUpperCase(Locale.ROOT), PathTemplate.parse(template), handler, renderer));
      return this;
    }

    public Builder get(String template, HttpHandler handler) {
      return route("GET", template, handler);
    }

    public Builder post(String template, HttpHandler handler) {
      return route("POST", template, handler);
    }

    public Builder put(String template, HttpHandler handler) {
      return route("PUT", template, handler);
    }

    public Builder patch(String template, HttpHandler handler) {
      return route("PATCH", template, handler);
    }

    public Builder delete(String template, HttpHandler handler) {
      return route("DELETE", template, handler);
    }

    /** Adds every route of {@code other}, with its renderers. */
    public Builder mount(Router other) {
      routes.addAll(other.routes);
      return this;
    }

    public Router build() {
      return new Router(this);
    }
  }

  /** A path template: literal segments and {@code {name}} segments; a last {@code {name...}} takes the rest. */
  public record PathTemplate(String template, List<String> segments) {

    public static PathTemplate parse(String template) {
      if (!template.startsWith("/")) {
        throw new IllegalArgumentException("a path template starts with /: " + template);
      }
      List<String> segs = List.of(template.substring(1).split("/", -1));
      for (int i = 0; i < segs.size(); i++) {
        if (segs.get(i).endsWith("...}") && i != segs.size() - 1) {
          throw new IllegalArgumentException("{name...} must be the last segment: " + template);
        }
      }
      return new PathTemplate(template, segs);
    }

    /** The bound parameters when {@code path} matches, else null. */
    public java.util.@org.jspecify.annotations.Nullable Map<String, String> match(String path) {
      if (!path.startsWith("/")) {
        return null;
      }
      String[] parts = path.substring(1).split("/", -1);
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 0; i < segments.size(); i++) {
        String seg = segments.get(i);
        if (seg.startsWith("{") && seg.endsWith("...}")) {
          if (i >= parts.length) {
            return null;
          }
          params.put(seg.substring(1, seg.length() - 4), String.join("/", List.of(parts).subList(i, parts.length)));
          return params;
        }
        if (i >= parts.length) {
          return null;
        }
        if (seg.startsWith("{") && seg.endsWith("}")) {
          if (parts[i].isEmpty()) {
            return null;
          }
          params.put(seg.substring(1, seg.length() - 1), parts[i]);
        } else if (!seg.equals(parts[i])) {
          return null;
        }
      }
      return parts.length == segments.size() ? params : null;
    }
  }
}
