package io.ory4j.accessrules.internal.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ory4j.accessrules.spi.AuthenticationSession;
import io.ory4j.accessrules.spi.MatchContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A parsed template: the Go text/template subset Oathkeeper's docs use, evaluated against the session
 * ({@code .Subject}, {@code .Extra}, {@code .Header}, {@code .MatchContext}). Parsing checks the syntax, the
 * functions and the session's field names, so a bad template refuses its rule at load instead of failing requests.
 * Like Oathkeeper's templates it runs with {@code missingkey=zero}: a missing map key prints {@code <no value>}, and
 * {@code print} of a missing value prints nothing.
 */
public final class Template {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Set<String> FUNCTIONS = Set.of("print", "printIndex", "index", "urlquery", "urlencode",
      "toJson", "default", "lower", "upper", "trim", "quote", "len");
  private static final Set<String> KEYWORDS = Set.of("if", "else", "end", "range", "with", "define", "template",
      "block", "break", "continue", "nil");
  private static final Set<String> ROOT_FIELDS = Set.of("Subject", "Extra", "Header", "MatchContext");
  private static final Set<String> MATCH_FIELDS = Set.of("RegexpCaptureGroups", "URL", "Method", "Header");

  private final String source;
  private final List<Object> parts;

  private Template(String source, List<Object> parts) {
    this.source = source;
    this.parts = parts;
  }

  public String source() {
    return source;
  }

  /** Parses a template; a syntax error, unknown function or unknown session field is a {@link TemplateException}. */
  public static Template parse(String source) {
    List<Object> parts = new ArrayList<>();
    int i = 0;
    StringBuilder text = new StringBuilder();
    while (i < source.length()) {
      int open = source.indexOf("{{", i);
      if (open < 0) {
        text.append(source, i, source.length());
        break;
      }
      text.append(source, i, open);
      int close = source.indexOf("}}", open + 2);
      if (close < 0) {
        throw new TemplateException("unclosed action: a {{ at index " + open + " has no }}");
      }
      String inner = source.substring(open + 2, close);
      if (inner.startsWith("-") && (inner.length() == 1 || Character.isWhitespace(inner.charAt(1)))) {
        int k = text.length();
        while (k > 0 && Character.isWhitespace(text.charAt(k - 1))) {
          k--;
        }
        text.setLength(k);
        inner = inner.substring(1);
      }
      boolean trimRight = inner.endsWith("-") && (inner.length() == 1
          || Character.isWhitespace(inner.charAt(inner.length() - 2)));
      if (trimRight) {
        inner = inner.substring(0, inner.length() - 1);
      }
      if (text.length() > 0) {
        parts.add(text.toString());
        text.setLength(0);
      }
      String trimmed = inner.trim();
      if (!(trimmed.startsWith("/*") && trimmed.endsWith("*/"))) {
        Parser p = new Parser(trimmed);
        Pipeline pipeline = p.pipeline();
        if (!p.atEnd()) {
          throw new TemplateException("unexpected \"" + p.rest() + "\" in {{" + inner + "}}");
        }
        parts.add(pipeline);
      }
      i = close + 2;
      if (trimRight) {
        while (i < source.length() && Character.isWhitespace(source.charAt(i))) {
          i++;
        }
      }
    }
    if (text.length() > 0) {
      parts.add(text.toString());
    }
    return new Template(source, List.copyOf(parts));
  }

  /** Renders against a session. */
  public String render(AuthenticationSession session) {
    return render(data(session));
  }

  /** Renders against prepared data (see {@link #data}). */
  public String render(Map<String, Object> data) {
    StringBuilder out = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof String s) {
        out.append(s);
      } else {
        Object v = ((Pipeline) part).eval(data);
        out.append(v == null ? "<no value>" : format(v));
      }
    }
    return out.toString();
  }

  /** The data a template sees: Oathkeeper's session with Go's field names. */
  public static Map<String, Object> data(AuthenticationSession s) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("Subject", s.subject());
    root.put("Extra", s.extra());
    root.put("Header", new HeaderMap(s.header()));
    MatchContext mc = s.matchContext();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("RegexpCaptureGroups", mc.regexpCaptureGroups());
    m.put("URL", new GoUrl(mc.url()));
    m.put("Method", mc.method());
    m.put("Header", new HeaderMap(mc.header()));
    root.put("MatchContext", m);
    return root;
  }

  /** Go's {@code %v}. */
  static String format(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(' ');
        }
        sb.append(l.get(i) == null ? "<nil>" : format(l.get(i)));
      }
      return sb.append(']').toString();
    }
    if (v instanceof HeaderMap h) {
      return format(h.values);
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("map[");
      boolean first = true;
      for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
        if (!first) {
          sb.append(' ');
        }
        first = false;
        sb.append(e.getKey()).append(':').append(e.getValue() == null ? "<nil>" : format(e.getValue()));
      }
      return sb.append(']').toString();
    }
    if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e21) {
      return Long.toString(d.longValue());
    }
    return String.valueOf(v);
  }

  /** An http.Header: case-insensitive, with {@code Get}. */
  record HeaderMap(Map<String, List<String>> values) {
    String get(String name) {
      for (Map.Entry<String, List<String>> e : values.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().isEmpty() ? "" : e.getValue().get(0);
        }
      }
      return "";
    }

    Object field(String name) {
      for (Map.Entry<String, List<String>> e : values.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }
  }

  /** A *url.URL with Go's field names. */
  record GoUrl(URI uri) {
    Object field(String name) {
      return switch (name) {
        case "Scheme" -> nz(uri.getScheme());
        case "Host" -> uri.getPort() < 0 ? nz(uri.getHost()) : uri.getHost() + ":" + uri.getPort();
        case "Path" -> nz(uri.getPath());
        case "RawPath" -> nz(uri.getRawPath());
        case "RawQuery" -> nz(uri.getRawQuery());
        case "Fragment" -> nz(uri.getFragment());
        case "String" -> uri.toString();
        case "Query" -> new HeaderMap(io.ory4j.core.http.HttpRequest.parseQuery(uri.getRawQuery()));
        default -> throw new TemplateException("can't evaluate field " + name + " in type *url.URL");
      };
    }

    private static String nz(String s) {
      return s == null ? "" : s;
    }

    @Override
    public String toString() {
      return uri.toString();
    }
  }

  // ---- syntax tree

  private interface Term {
    Object eval(Map<String, Object> data, List<Object> args);
  }

  private record Pipeline(List<Command> commands) {
    Object eval(Map<String, Object> data) {
      Object piped = NO_VALUE;
      for (Command c : commands) {
        piped = c.eval(data, piped);
      }
      return piped;
    }
  }

  private static final Object NO_VALUE = new Object();

  private record Command(List<Term> terms, @org.jspecify.annotations.Nullable String function) {
    Object eval(Map<String, Object> data, Object piped) {
      List<Object> args = new ArrayList<>();
      int start = function == null ? 1 : 0;
      for (int i = start; i < terms.size(); i++) {
        args.add(terms.get(i).eval(data, List.of()));
      }
      if (piped != NO_VALUE) {
        args.add(piped);
      }
      if (function != null) {
        return call(function, args);
      }
      return terms.get(0).eval(data, args);
    }
  }

  private record Literal(Object value) implements Term {
    public Object eval(Map<String, Object> data, List<Object> args) {
      return value;
    }
  }

  private record Sub(Pipeline pipeline) implements Term {
    public Object eval(Map<String, Object> data, List<Object> args) {
      return pipeline.eval(data);
    }
  }

  private record Field(List<String> path) implements Term {
    public Object eval(Map<String, Object> data, List<Object> args) {
      Object cur = data;
      for (int i = 0; i < path.size(); i++) {
        String name = path.get(i);
        boolean last = i == path.size() - 1;
        if (cur instanceof HeaderMap h && name.equals("Get")) {
          if (!last || args.size() != 1) {
            throw new TemplateException("Header.Get takes exactly one argument");
          }
          return h.get(String.valueOf(args.get(0)));
        }
        if (cur instanceof HeaderMap h) {
          cur = h.field(name);
        } else if (cur instanceof GoUrl u) {
          cur = u.field(name);
        } else if (cur instanceof Map<?, ?> m) {
          cur = m.get(name);
        } else if (cur == null) {
          return null;
        } else {
          throw new TemplateException("can't evaluate field " + name + " in a " + typeName(cur));
        }
      }
      if (!args.isEmpty()) {
        throw new TemplateException("." + String.join(".", path) + " is not a method but has arguments");
      }
      return cur;
    }
  }

  private static String typeName(Object o) {
    return o instanceof String ? "string" : o instanceof List ? "list" : o instanceof Number ? "number"
        : o instanceof Boolean ? "bool" : o.getClass().getSimpleName();
  }

  private static Object call(String f, List<Object> a) {
    return switch (f) {
      case "print" -> {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
          Object o = a.get(i);
          if (o != null) {
            if (i > 0 && !(o instanceof String) && !(a.get(i - 1) instanceof String)) {
              sb.append(' ');
            }
            sb.append(format(o));
          }
        }
        yield sb.toString();
      }
      case "printIndex" -> {
        arity(f, a, 2);
        if (a.get(0) instanceof List<?> l && a.get(1) instanceof Number n && n.intValue() >= 0
            && n.intValue() < l.size()) {
          Object o = l.get(n.intValue());
          yield o == null ? "" : format(o);
        }
        yield "";
      }
      case "index" -> {
        if (a.isEmpty()) {
          throw new TemplateException("index needs at least one argument");
        }
        Object cur = a.get(0);
        for (int i = 1; i < a.size(); i++) {
          Object k = a.get(i);
          if (cur instanceof List<?> l && k instanceof Number n) {
            if (n.intValue() < 0 || n.intValue() >= l.size()) {
              throw new TemplateException("index out of range: " + n);
            }
            cur = l.get(n.intValue());
          } else if (cur instanceof HeaderMap h) {
            cur = h.field(String.valueOf(k));
          } else if (cur instanceof Map<?, ?> m) {
            cur = m.get(String.valueOf(k));
          } else if (cur == null) {
            throw new TemplateException("index of a missing value");
          } else {
            throw new TemplateException("can't index a " + typeName(cur));
          }
        }
        yield cur;
      }
      case "urlquery", "urlencode" -> {
        StringBuilder sb = new StringBuilder();
        for (Object o : a) {
          sb.append(o == null ? "" : format(o));
        }
        yield URLEncoder.encode(sb.toString(), StandardCharsets.UTF_8);
      }
      case "toJson" -> {
        arity(f, a, 1);
        Object o = a.get(0);
        try {
          yield JSON.writeValueAsString(o instanceof HeaderMap h ? h.values : o instanceof GoUrl u ? u.toString() : o);
        } catch (Exception e) {
          throw new TemplateException("toJson: " + e.getMessage());
        }
      }
      case "default" -> {
        arity(f, a, 2);
        Object v = a.get(1);
        yield v == null || "".equals(v) || Boolean.FALSE.equals(v) || (v instanceof List<?> l && l.isEmpty())
            || (v instanceof Map<?, ?> m && m.isEmpty()) ? a.get(0) : v;
      }
      case "lower" -> str(f, a).toLowerCase(Locale.ROOT);
      case "upper" -> str(f, a).toUpperCase(Locale.ROOT);
      case "trim" -> str(f, a).trim();
      case "quote" -> {
        try {
          yield JSON.writeValueAsString(str(f, a));
        } catch (Exception e) {
          throw new TemplateException("quote: " + e.getMessage());
        }
      }
      case "len" -> {
        arity(f, a, 1);
        Object o = a.get(0);
        yield o instanceof String s ? s.length() : o instanceof List<?> l ? l.size() : o instanceof Map<?, ?> m
            ? m.size() : 0;
      }
      default -> throw new TemplateException("function \"" + f + "\" not defined");
    };
  }

  private static void arity(String f, List<Object> a, int n) {
    if (a.size() != n) {
      throw new TemplateException(f + " takes " + n + " arguments, got " + a.size());
    }
  }

  private static String str(String f, List<Object> a) {
    arity(f, a, 1);
    return a.get(0) == null ? "" : format(a.get(0));
  }

  /** A recursive-descent parser of one action. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    boolean atEnd() {
      skip();
      return i >= s.length();
    }

    String rest() {
      return s.substring(i);
    }

    void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    Pipeline pipeline() {
      List<Command> cmds = new ArrayList<>();
      cmds.add(command(false));
      while (true) {
        skip();
        if (i < s.length() && s.charAt(i) == '|') {
          i++;
          cmds.add(command(true));
        } else {
          break;
        }
      }
      return new Pipeline(List.copyOf(cmds));
    }

    Command command(boolean piped) {
      List<Term> terms = new ArrayList<>();
      String function = null;
      skip();
      if (i < s.length() && Character.isLetter(s.charAt(i))) {
        String id = ident();
        if (KEYWORDS.contains(id)) {
          throw new TemplateException("\"" + id + "\" is not supported in access rule templates (only field "
              + "chains, functions and pipelines are)");
        }
        if (id.equals("true") || id.equals("false")) {
          terms.add(new Literal(Boolean.valueOf(id)));
        } else {
          if (!FUNCTIONS.contains(id)) {
            throw new TemplateException("function \"" + id + "\" not defined (supported: " + new java.util.TreeSet<>(
                FUNCTIONS) + ")");
          }
          function = id;
        }
      }
      while (true) {
        skip();
        if (i >= s.length() || s.charAt(i) == '|' || s.charAt(i) == ')') {
          break;
        }
        terms.add(term());
      }
      if (function == null && terms.isEmpty()) {
        throw new TemplateException(piped ? "missing command after |" : "empty action {{ }}");
      }
      // "{{ . .Subject }}": a bare dot has an empty path (found by HostileRequestProperties)
      if (function == null && terms.size() > 1 && !(terms.get(0) instanceof Field f && !f.path().isEmpty()
          && f.path().get(f.path().size() - 1).equals("Get"))) {
        throw new TemplateException("can't give arguments to a non-function value: " + s);
      }
      return new Command(List.copyOf(terms), function);
    }

    Term term() {
      char c = s.charAt(i);
      if (c == '.') {
        List<String> path = new ArrayList<>();
        while (i < s.length() && s.charAt(i) == '.') {
          i++;
          if (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            path.add(ident());
          }
        }
        check(path);
        return new Field(List.copyOf(path));
      }
      if (c == '"') {
        StringBuilder sb = new StringBuilder();
        i++;
        while (i < s.length() && s.charAt(i) != '"') {
          char ch = s.charAt(i++);
          if (ch == '\\' && i < s.length()) {
            char e = s.charAt(i++);
            sb.append(switch (e) {
              case 'n' -> '\n';
              case 't' -> '\t';
              default -> e;
            });
          } else {
            sb.append(ch);
          }
        }
        if (i >= s.length()) {
          throw new TemplateException("unterminated string in " + s);
        }
        i++;
        return new Literal(sb.toString());
      }
      if (c == '`') {
        int end = s.indexOf('`', i + 1);
        if (end < 0) {
          throw new TemplateException("unterminated raw string in " + s);
        }
        String v = s.substring(i + 1, end);
        i = end + 1;
        return new Literal(v);
      }
      if (Character.isDigit(c) || c == '-') {
        int start = i++;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        String n = s.substring(start, i);
        try {
          return new Literal(n.contains(".") ? (Object) Double.valueOf(n) : (Object) Long.valueOf(n));
        } catch (NumberFormatException e) {
          throw new TemplateException("bad number " + n);
        }
      }
      if (c == '(') {
        i++;
        Pipeline p = pipeline();
        skip();
        if (i >= s.length() || s.charAt(i) != ')') {
          throw new TemplateException("unclosed ( in " + s);
        }
        i++;
        return new Sub(p);
      }
      if (c == '$') {
        throw new TemplateException("variables ($) are not supported in access rule templates");
      }
      if (Character.isLetter(c)) {
        String id = ident();
        if (id.equals("true") || id.equals("false")) {
          return new Literal(Boolean.valueOf(id));
        }
        throw new TemplateException("function \"" + id + "\" can only start a command; use parentheses");
      }
      throw new TemplateException("unexpected \"" + c + "\" in " + s);
    }

    String ident() {
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
        i++;
      }
      return s.substring(start, i);
    }

    private static void check(List<String> path) {
      if (path.isEmpty()) {
        return;
      }
      if (!ROOT_FIELDS.contains(path.get(0))) {
        throw new TemplateException("can't evaluate field " + path.get(0) + " of the session (it has "
            + "Subject, Extra, Header, MatchContext)");
      }
      if (path.get(0).equals("MatchContext") && path.size() > 1 && !MATCH_FIELDS.contains(path.get(1))) {
        throw new TemplateException("can't evaluate field " + path.get(1) + " of MatchContext (it has "
            + "RegexpCaptureGroups, URL, Method, Header)");
      }
    }
  }
}
