package io.ory4j.servlet;

import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpInterceptor;
import io.ory4j.core.http.HttpInterceptor.Interception;
import io.ory4j.core.http.HttpInterceptor.Proceed;
import io.ory4j.core.http.HttpInterceptor.Respond;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.json.OryJson;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an ory4j {@link HttpInterceptor} in front of the host's endpoints: the request continues down the chain with
 * the headers the interceptor set (the access rules' mutators), or the interceptor's response answers it. The
 * interceptor sees the method, URL, headers and cookies; the body stays on the wire, offered as
 * {@link HttpRequest#bodyStream()}. Only an interceptor that reads it (the access rules, for a rule whose authorizer
 * posts the body) takes it, and then the host's endpoint gets the very same bytes from {@code getInputStream()},
 * {@code getReader()} and, for a form, {@code getParameter(...)}.
 */
public class OryFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(OryFilter.class);

  private final transient HttpInterceptor interceptor;

  public OryFilter(HttpInterceptor interceptor) {
    this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    Interception decision;
    ReplayableBody body = new ReplayableBody(req);
    try {
      decision = interceptor.intercept(ServletBridge.toRequest(req, 0, false, false, body::open));
    } catch (OryException e) {
      ServletBridge.write(new OryErrorRenderer(OryJson.create()).render(e, HttpRequest.builder().build()), res,
          req);
      return;
    } catch (RuntimeException e) {
      log.error("{} {}: the interceptor failed", req.getMethod(), req.getRequestURI(), e);
      ServletBridge.write(new OryErrorRenderer(OryJson.create()).render(OryException.internal("An internal server "
          + "error occurred, please contact the system administrator"), HttpRequest.builder().build()), res);
      return;
    }
    if (decision instanceof Respond r) {
      ServletBridge.write(r.response(), res, req);
    } else if (decision instanceof Proceed p) {
      HttpServletRequest next = body.wrap(req);
      chain.doFilter(p.setHeaders().isEmpty() && p.removeHeaders().isEmpty() ? next : new Mutated(next, p), res);
    }
  }

  /** The request with the interceptor's header changes. */
  private static final class Mutated extends HttpServletRequestWrapper {
    private final Map<String, List<String>> set = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Set<String> removed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    Mutated(HttpServletRequest req, Proceed p) {
      super(req);
      set.putAll(p.setHeaders());
      removed.addAll(p.removeHeaders());
    }

    @Override
    public String getHeader(String name) {
      if (set.containsKey(name)) {
        List<String> v = set.get(name);
        return v.isEmpty() ? null : v.get(0);
      }
      return removed.contains(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      if (set.containsKey(name)) {
        return Collections.enumeration(set.get(name));
      }
      return removed.contains(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      for (String n : Collections.list(super.getHeaderNames())) {
        if (!removed.contains(n)) {
          names.add(n);
        }
      }
      names.addAll(set.keySet());
      return Collections.enumeration(new ArrayList<>(names));
    }

    @Override
    public int getIntHeader(String name) {
      String v = getHeader(name);
      return v == null ? -1 : Integer.parseInt(v.trim());
    }

    @Override
    public long getDateHeader(String name) {
      if (set.containsKey(name.toLowerCase(Locale.ROOT)) || removed.contains(name)) {
        String v = getHeader(name);
        if (v == null) {
          return -1;
        }
      }
      return super.getDateHeader(name);
    }
  }
}
