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
 *
 * <p>By default the request body is read before the handler runs, up to {@code maxBody} bytes (larger is a 413).
 * {@link #streaming(HttpHandler)} leaves it on the wire instead, for a handler that forwards it (a reverse proxy):
 * the handler sees an empty {@link HttpRequest#body()} and reads {@link HttpRequest#bodyStream()}, with no size
 * limit.
 */
public class OryServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(OryServlet.class);

  /** The default largest request body: 1 MiB. */
  public static final int DEFAULT_MAX_BODY = 1 << 20;

  private final transient HttpHandler handler;
  private final transient ErrorRenderer fallback;
  private final int maxBody;
  private final boolean streamBody;

  public OryServlet(HttpHandler handler) {
    this(handler, DEFAULT_MAX_BODY);
  }

  public OryServlet(HttpHandler handler, int maxBody) {
    this(handler, maxBody, false);
  }

  private OryServlet(HttpHandler handler, int maxBody, boolean streamBody) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.fallback = new OryErrorRenderer(OryJson.create());
    this.maxBody = maxBody;
    this.streamBody = streamBody;
  }

  /**
   * A servlet that does not read the request body but hands the servlet input stream through as
   * {@link HttpRequest#bodyStream()}: for handlers that stream it on (such as the access rules' reverse proxy).
   */
  public static OryServlet streaming(HttpHandler handler) {
    return new OryServlet(handler, DEFAULT_MAX_BODY, true);
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HttpRequest request = null;
    HttpResponse response;
    try {
      request = ServletBridge.toRequest(req, maxBody, true, true, streamBody);
      response = handler.handle(request);
    } catch (OryException e) {
      response = fallback.render(e, request != null ? request : HttpRequest.builder().build());
    } catch (RuntimeException e) {
      log.error("{} {} failed with an unexpected error", req.getMethod(), req.getRequestURI(), e);
      response = fallback.render(OryException.internal("An internal server error occurred, please contact the "
          + "system administrator"), HttpRequest.builder().build());
    }
    ServletBridge.write(response, resp, req);
  }
}
