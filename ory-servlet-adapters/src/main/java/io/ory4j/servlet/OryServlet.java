package io.ory4j.servlet;

import io.ory4j.core.error.OryException;
import io.ory4j.core.http.ErrorRenderer;
import io.ory4j.core.http.HttpHandler;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.json.OryJson;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an ory4j {@link HttpHandler} (for example {@code provider.publicApi()}) as a servlet. Map it at the
 * context root or under a prefix; the handler sees the path inside the servlet mapping.
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new OryServlet(router)), "/*");
 * }</pre>
 */
public class OryServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(OryServlet.class);

  /** The default largest request body: 1 MiB. */
  public static final int DEFAULT_MAX_BODY = 1 << 20;

  private final transient HttpHandler handler;
  private final transient ErrorRenderer fallback;
  private final int maxBody;

  public OryServlet(HttpHandler handler) {
    this(handler, DEFAULT_MAX_BODY);
  }

  public OryServlet(HttpHandler handler, int maxBody) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.fallback = new OryErrorRenderer(OryJson.create());
    this.maxBody = maxBody;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HttpRequest request = null;
    HttpResponse response;
    try {
      request = ServletBridge.toRequest(req, maxBody, true);
      response = handler.handle(request);
    } catch (OryException e) {
      response = fallback.render(e, request != null ? request : HttpRequest.builder().build());
    } catch (RuntimeException e) {
      log.error("{} {} failed with an unexpected error", req.getMethod(), req.getRequestURI(), e);
      response = fallback.render(OryException.internal("An internal server error occurred, please contact the "
          + "system administrator"), HttpRequest.builder().build());
    }
    ServletBridge.write(response, resp);
  }
}
