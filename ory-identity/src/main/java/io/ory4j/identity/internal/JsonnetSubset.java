package io.ory4j.identity.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small, safe subset of Jsonnet, enough for the web hook body templates Kratos documents: one
 * {@code function(ctx) <expr>} whose body uses object and array literals (fields named by identifier, string, or a
 * computed {@code [expr]} key that omits the field when null), string/number/boolean/null literals, paths into the
 * parameter ({@code ctx.identity.traits.email}, {@code ctx["a"]}, {@code ctx.list[0]}), {@code +} (string
 * concatenation with any value, number addition, array concatenation, object merge), {@code == != && || !},
 * {@code "field" in object}, {@code if c then a [else b]}, {@code error "message"}, parentheses, comments, and the
 * functions {@code std.length}, {@code std.startsWith}, {@code std.endsWith} and {@code std.objectHas}.
 *
 * <p>Anything else (imports, {@code local}, {@code self}, {@code std.extVar}, user functions, other std functions)
 * is refused when the template is parsed, with the position and the reason. There are no loops and no user
 * functions, so evaluation is linear in the size of the template and the context: a template cannot hang or
 * exhaust memory. Not API.
 */
public final class JsonnetSubset {

  /** The template failed to parse or uses something outside the subset; the message says what and where. */
  public static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message);
    }
  }

  /** Evaluation failed (a missing field, a type error, or an explicit {@code error "..."}). */
  public static final class EvaluationError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean explicit;

    EvaluationError(String message, boolean explicit) {
      super(message);
      this.explicit = explicit;
    }

    /** True for an {@code error "..."} expression in the template, false for a runtime fault. */
    public boolean explicit() {
      return explicit;
    }
  }

  /** Templates longer than this are refused. */
  public static final int MAX_TEMPLATE_CHARS = 64 * 1024;
  private static final int MAX_DEPTH = 100;
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> SUPPORTED_PUNCT = Set.of("{", "}", "[", "]", "(", ")", ",", ":", ".", "+", "!",
      "-", "==", "!=", "&&", "||");
  private static final Set<String> STD = Set.of("length", "startsWith", "endsWith", "objectHas");
  private static final Set<String> KEYWORDS = Set.of("assert", "else", "error", "false", "for", "function", "if",
      "import", "importstr", "importbin", "in", "local", "null", "tailstrict", "then", "self", "super", "true");

  private final String param;
  private final Node body;

  private JsonnetSubset(String param, Node body) {
    this.param = param;
    this.body = body;
  }

  /** Parses a template; throws {@link SyntaxError} for anything outside the subset. */
  public static JsonnetSubset parse(String source) {
    if (source.length() > MAX_TEMPLATE_CHARS) {
      throw new SyntaxError("the template is longer than " + MAX_TEMPLATE_CHARS + " characters");
    }
    Parser p = new Parser(source);
    p.expectKeyword("function");
    p.expect("(");
    String param = p.identifier();
    p.expect(")");
    p.param = param;
    Node body = p.expr(0);
    if (p.peek().kind != Kind.EOF) {
      throw p.error("unexpected " + p.peek().text + " after the function body");
    }
    return new JsonnetSubset(param, body);
  }

  /** Evaluates the function with {@code ctx} as its argument; the result as JSON. */
  public JsonNode evaluate(JsonNode ctx) {
    return manifest(eval(body, ctx));
  }

  // ---- AST ----

  private sealed interface Node permits Lit, Param, Std, Field, Index, Call, Obj, Arr, If, Err, Bin, Not {}

  private record Lit(JsonNode value) implements Node {}

  private record Param() implements Node {}

  private record Std(String name) implements Node {}

  private record Field(Node target, String name) implements Node {}

  private record Index(Node target, Node index) implements Node {}

  private record Call(String function, List<Node> args) implements Node {}

  private record Obj(List<Node> keys, List<Node> values) implements Node {}

  private record Arr(List<Node> items) implements Node {}

  private record If(Node cond, Node then, Node otherwise) implements Node {}

  private record Err(Node message) implements Node {}

  private record Bin(String op, Node left, Node right) implements Node {}

  private record Not(Node operand) implements Node {}

  // ---- evaluation ----

  private JsonNode eval(Node n, JsonNode ctx) {
    if (n instanceof Lit l) {
      return l.value();
    }
    if (n instanceof Param) {
      return ctx;
    }
    if (n instanceof Field f) {
      return field(eval(f.target(), ctx), f.name());
    }
    if (n instanceof Index i) {
      return index(eval(i.target(), ctx), eval(i.index(), ctx));
    }
    if (n instanceof Call c) {
      return call(c, ctx);
    }
    if (n instanceof Obj o) {
      return object(o, ctx);
    }
    if (n instanceof Arr a) {
      ArrayNode out = F.arrayNode();
      a.items().forEach(x -> out.add(eval(x, ctx)));
      return out;
    }
    if (n instanceof If i) {
      return bool(eval(i.cond(), ctx), "if") ? eval(i.then(), ctx) : eval(i.otherwise(), ctx);
    }
    if (n instanceof Err e) {
      JsonNode m = eval(e.message(), ctx);
      throw new EvaluationError(m.isTextual() ? m.asText() : m.toString(), true);
    }
    if (n instanceof Not x) {
      return F.booleanNode(!bool(eval(x.operand(), ctx), "!"));
    }
    if (n instanceof Bin b) {
      return binary(b, ctx);
    }
    throw new EvaluationError("std." + ((Std) n).name() + " is a function; call it", false);
  }

  private JsonNode object(Obj o, JsonNode ctx) {
    ObjectNode out = F.objectNode();
    for (int k = 0; k < o.keys().size(); k++) {
      JsonNode key = eval(o.keys().get(k), ctx);
      if (key.isNull()) {
        continue;
      }
      if (!key.isTextual()) {
        throw new EvaluationError("a field name must be a string, got " + type(key), false);
      }
      if (out.has(key.asText())) {
        throw new EvaluationError("duplicate field name: \"" + key.asText() + "\"", false);
      }
      out.set(key.asText(), eval(o.values().get(k), ctx));
    }
    return out;
  }

  private JsonNode binary(Bin b, JsonNode ctx) {
    switch (b.op()) {
      case "&&":
        return F.booleanNode(bool(eval(b.left(), ctx), "&&") && bool(eval(b.right(), ctx), "&&"));
      case "||":
        return F.booleanNode(bool(eval(b.left(), ctx), "||") || bool(eval(b.right(), ctx), "||"));
      default:
        break;
    }
    JsonNode l = eval(b.left(), ctx);
    JsonNode r = eval(b.right(), ctx);
    return switch (b.op()) {
      case "==" -> F.booleanNode(equal(l, r));
      case "!=" -> F.booleanNode(!equal(l, r));
      case "in" -> {
        if (!l.isTextual() || !r.isObject()) {
          throw new EvaluationError("\"in\" needs a string and an object, got " + type(l) + " and " + type(r), false);
        }
        yield F.booleanNode(r.has(l.asText()));
      }
      case "+" -> plus(l, r);
      default -> throw new IllegalStateException(b.op());
    };
  }

  private static JsonNode plus(JsonNode l, JsonNode r) {
    if (l.isTextual() || r.isTextual()) {
      return F.textNode(string(l) + string(r));
    }
    if (l.isNumber() && r.isNumber()) {
      return F.numberNode(l.doubleValue() + r.doubleValue());
    }
    if (l.isArray() && r.isArray()) {
      ArrayNode out = F.arrayNode();
      out.addAll((ArrayNode) l);
      out.addAll((ArrayNode) r);
      return out;
    }
    if (l.isObject() && r.isObject()) {
      ObjectNode out = ((ObjectNode) l).deepCopy();
      out.setAll((ObjectNode) r);
      return out;
    }
    throw new EvaluationError("cannot add " + type(l) + " and " + type(r), false);
  }

  private JsonNode call(Call c, JsonNode ctx) {
    List<JsonNode> a = new ArrayList<>();
    c.args().forEach(x -> a.add(eval(x, ctx)));
    return switch (c.function()) {
      case "length" -> {
        JsonNode x = a.get(0);
        if (x.isTextual()) {
          yield F.numberNode((double) x.asText().codePointCount(0, x.asText().length()));
        }
        if (x.isArray() || x.isObject()) {
          yield F.numberNode((double) x.size());
        }
        throw new EvaluationError("std.length of " + type(x), false);
      }
      case "startsWith", "endsWith" -> {
        if (!a.get(0).isTextual() || !a.get(1).isTextual()) {
          throw new EvaluationError("std." + c.function() + " needs two strings", false);
        }
        yield F.booleanNode(c.function().equals("startsWith") ? a.get(0).asText().startsWith(a.get(1).asText())
            : a.get(0).asText().endsWith(a.get(1).asText()));
      }
      case "objectHas" -> {
        if (!a.get(0).isObject() || !a.get(1).isTextual()) {
          throw new EvaluationError("std.objectHas needs an object and a string", false);
        }
        yield F.booleanNode(a.get(0).has(a.get(1).asText()));
      }
      default -> throw new IllegalStateException(c.function());
    };
  }

  private static JsonNode field(JsonNode target, String name) {
    if (!target.isObject()) {
      throw new EvaluationError("cannot read field \"" + name + "\" of " + type(target), false);
    }
    JsonNode v = target.get(name);
    if (v == null) {
      throw new EvaluationError("field does not exist: " + name, false);
    }
    return v;
  }

  private static JsonNode index(JsonNode target, JsonNode idx) {
    if (idx.isTextual()) {
      return field(target, idx.asText());
    }
    if (target.isArray() && idx.isNumber()) {
      double d = idx.doubleValue();
      if (d != Math.rint(d) || d < 0 || d >= target.size()) {
        throw new EvaluationError("index " + string(idx) + " out of bounds (size " + target.size() + ")", false);
      }
      return target.get((int) d);
    }
    throw new EvaluationError("cannot index " + type(target) + " with " + type(idx), false);
  }

  private static boolean bool(JsonNode v, String where) {
    if (!v.isBoolean()) {
      throw new EvaluationError(where + " needs a boolean, got " + type(v), false);
    }
    return v.booleanValue();
  }

  private static boolean equal(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.doubleValue() == b.doubleValue();
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!equal(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!b.has(e.getKey()) || !equal(e.getValue(), b.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** Jsonnet's {@code std.toString}: a string as is, anything else as compact JSON. */
  private static String string(JsonNode v) {
    return v.isTextual() ? v.asText() : manifest(v).toString();
  }

  private static String type(JsonNode v) {
    return switch (v.getNodeType()) {
      case OBJECT -> "object";
      case ARRAY -> "array";
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
      default -> "null";
    };
  }

  /** Integral numbers are written without a fraction, as Jsonnet does. */
  private static JsonNode manifest(JsonNode v) {
    if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())
        && Math.abs(v.doubleValue()) < 1e15) {
      long l = (long) v.doubleValue();
      return l == (int) l ? F.numberNode((int) l) : F.numberNode(l);
    }
    if (v.isObject()) {
      ObjectNode out = F.objectNode();
      v.fields().forEachRemaining(e -> out.set(e.getKey(), manifest(e.getValue())));
      return out;
    }
    if (v.isArray()) {
      ArrayNode out = F.arrayNode();
      v.forEach(x -> out.add(manifest(x)));
      return out;
    }
    return v;
  }

  // ---- lexer and parser ----

  private enum Kind { IDENT, STRING, NUMBER, PUNCT, EOF }

  private record Token(Kind kind, String text, int pos) {}

  private static final class Parser {
    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int at;
    private int depth;
    String param = "";

    Parser(String src) {
      this.src = src;
      lex();
    }

    SyntaxError error(String message) {
      return errorAt(peek().pos, message);
    }

    SyntaxError errorAt(int pos, String message) {
      int line = 1;
      int col = 1;
      for (int i = 0; i < pos && i < src.length(); i++) {
        if (src.charAt(i) == '\n') {
          line++;
          col = 1;
        } else {
          col++;
        }
      }
      return new SyntaxError("line " + line + ", column " + col + ": " + message);
    }

    private void lex() {
      int i = 0;
      int n = src.length();
      while (i < n) {
        char c = src.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '#' || (c == '/' && i + 1 < n && src.charAt(i + 1) == '/')) {
          while (i < n && src.charAt(i) != '\n') {
            i++;
          }
        } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
          int end = src.indexOf("*/", i + 2);
          if (end < 0) {
            throw errorAt(i, "unterminated comment");
          }
          i = end + 2;
        } else if (Character.isLetter(c) || c == '_') {
          int s = i;
          while (i < n && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
            i++;
          }
          tokens.add(new Token(Kind.IDENT, src.substring(s, i), s));
        } else if (Character.isDigit(c)) {
          int s = i;
          while (i < n && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '.' || src.charAt(i) == 'e'
              || src.charAt(i) == 'E' || ((src.charAt(i) == '+' || src.charAt(i) == '-')
              && (src.charAt(i - 1) == 'e' || src.charAt(i - 1) == 'E')))) {
            i++;
          }
          tokens.add(new Token(Kind.NUMBER, src.substring(s, i), s));
        } else if (c == '"' || c == '\'') {
          int s = i;
          StringBuilder b = new StringBuilder();
          i++;
          while (true) {
            if (i >= n) {
              throw errorAt(s, "unterminated string");
            }
            char d = src.charAt(i);
            if (d == c) {
              i++;
              break;
            }
            if (d == '\\') {
              if (i + 1 >= n) {
                throw errorAt(s, "unterminated string");
              }
              char e = src.charAt(i + 1);
              switch (e) {
                case '"', '\'', '\\', '/' -> b.append(e);
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                  if (i + 6 > n) {
                    throw errorAt(i, "bad \\u escape");
                  }
                  try {
                    b.append((char) Integer.parseInt(src.substring(i + 2, i + 6), 16));
                  } catch (NumberFormatException ex) {
                    throw errorAt(i, "bad \\u escape");
                  }
                  i += 4;
                }
                default -> throw errorAt(i, "unknown escape \\" + e);
              }
              i += 2;
            } else {
              b.append(d);
              i++;
            }
          }
          tokens.add(new Token(Kind.STRING, b.toString(), s));
        } else {
          String two = i + 1 < n ? src.substring(i, i + 2) : "";
          if (two.equals("==") || two.equals("!=") || two.equals("&&") || two.equals("||")) {
            tokens.add(new Token(Kind.PUNCT, two, i));
            i += 2;
          } else {
            // anything else becomes a token the parser refuses where it meets it, so the message names the
            // construct (local, assert...) rather than its punctuation
            tokens.add(new Token(Kind.PUNCT, String.valueOf(c), i));
            i++;
          }
        }
      }
      tokens.add(new Token(Kind.EOF, "end of template", n));
    }

    Token peek() {
      return tokens.get(at);
    }

    Token next() {
      return tokens.get(at++);
    }

    boolean isPunct(String p) {
      return peek().kind == Kind.PUNCT && peek().text.equals(p);
    }

    boolean isKeyword(String k) {
      return peek().kind == Kind.IDENT && peek().text.equals(k);
    }

    void expect(String p) {
      if (!isPunct(p)) {
        throw error("expected '" + p + "', found " + describe(peek()));
      }
      at++;
    }

    void expectKeyword(String k) {
      if (!isKeyword(k)) {
        throw error("expected '" + k + "', found " + describe(peek())
            + (k.equals("function") ? " (a template is one function(ctx) ...)" : ""));
      }
      at++;
    }

    String identifier() {
      Token t = next();
      if (t.kind != Kind.IDENT || KEYWORDS.contains(t.text)) {
        throw errorAt(t.pos, "expected an identifier, found " + describe(t));
      }
      return t.text;
    }

    private static String describe(Token t) {
      return t.kind == Kind.EOF ? "the end of the template" : t.kind == Kind.STRING ? "a string" : "'" + t.text + "'";
    }

    // precedence: || (1) < && (2) < == != (3) < in (4) < + (5)
    Node expr(int minPrec) {
      if (++depth > MAX_DEPTH) {
        throw error("the template nests deeper than " + MAX_DEPTH + " levels");
      }
      try {
        Node left;
        if (isKeyword("if")) {
          at++;
          Node cond = expr(0);
          expectKeyword("then");
          Node then = expr(0);
          Node otherwise = new Lit(F.nullNode());
          if (isKeyword("else")) {
            at++;
            otherwise = expr(0);
          }
          return new If(cond, then, otherwise);
        }
        if (isKeyword("error")) {
          at++;
          return new Err(expr(0));
        }
        left = unary();
        while (true) {
          if (peek().kind == Kind.PUNCT && !SUPPORTED_PUNCT.contains(peek().text)) {
            throw error("'" + peek().text + "' is not supported by ory4j's Jsonnet subset");
          }
          String op = peek().kind == Kind.PUNCT || isKeyword("in") ? peek().text : "";
          int prec = switch (op) {
            case "||" -> 1;
            case "&&" -> 2;
            case "==", "!=" -> 3;
            case "in" -> 4;
            case "+" -> 5;
            default -> -1;
          };
          if (prec < 0 || prec <= minPrec) {
            return left;
          }
          at++;
          left = new Bin(op, left, expr(prec));
        }
      } finally {
        depth--;
      }
    }

    Node unary() {
      if (isPunct("!")) {
        at++;
        return new Not(unary());
      }
      if (isPunct("-") && tokens.get(at + 1).kind == Kind.NUMBER) {
        at++;
        return new Lit(F.numberNode(-number(next())));
      }
      return postfix(primary());
    }

    double number(Token t) {
      try {
        return Double.parseDouble(t.text);
      } catch (NumberFormatException e) {
        throw errorAt(t.pos, "bad number " + t.text);
      }
    }

    Node postfix(Node target) {
      while (true) {
        if (isPunct(".")) {
          at++;
          Token nameTok = peek();
          String name = identifierOrKeyword();
          if (target instanceof Std) {
            throw errorAt(nameTok.pos, "std.std is not supported");
          }
          target = new Field(target, name);
        } else if (isPunct("[")) {
          if (target instanceof Std) {
            throw error("std[...] is not supported");
          }
          at++;
          Node idx = expr(0);
          expect("]");
          target = new Index(target, idx);
        } else if (isPunct("(")) {
          throw error("only std.length, std.startsWith, std.endsWith and std.objectHas can be called");
        } else {
          if (target instanceof Std s) {
            throw error("std." + s.name() + " must be called");
          }
          return target;
        }
      }
    }

    String identifierOrKeyword() {
      Token t = next();
      if (t.kind != Kind.IDENT) {
        throw errorAt(t.pos, "expected a field name, found " + describe(t));
      }
      return t.text;
    }

    Node primary() {
      Token t = next();
      switch (t.kind) {
        case STRING:
          return new Lit(F.textNode(t.text));
        case NUMBER:
          return new Lit(F.numberNode(number(t)));
        case EOF:
          throw errorAt(t.pos, "unexpected end of the template");
        case PUNCT:
          switch (t.text) {
            case "(" -> {
              Node e = expr(0);
              expect(")");
              return e;
            }
            case "{" -> {
              return object();
            }
            case "[" -> {
              List<Node> items = new ArrayList<>();
              while (!isPunct("]")) {
                if (isKeyword("for")) {
                  throw error("array comprehensions are not supported by ory4j's Jsonnet subset");
                }
                items.add(expr(0));
                if (!isPunct(",")) {
                  break;
                }
                at++;
              }
              expect("]");
              return new Arr(items);
            }
            default -> throw errorAt(t.pos, SUPPORTED_PUNCT.contains(t.text) ? "unexpected '" + t.text + "'"
                : "'" + t.text + "' is not supported by ory4j's Jsonnet subset");
          }
        default:
          break;
      }
      switch (t.text) {
        case "true":
          return new Lit(F.booleanNode(true));
        case "false":
          return new Lit(F.booleanNode(false));
        case "null":
          return new Lit(F.nullNode());
        case "std":
          return stdCall(t);
        default:
          if (t.text.equals(param)) {
            return new Param();
          }
          throw errorAt(t.pos, KEYWORDS.contains(t.text)
              ? "'" + t.text + "' is not supported by ory4j's Jsonnet subset"
              : "unknown variable " + t.text + " (only the function parameter " + param + " and std are defined)");
      }
    }

    Node stdCall(Token stdTok) {
      expect(".");
      Token nameTok = peek();
      String name = identifierOrKeyword();
      if (!STD.contains(name)) {
        throw errorAt(nameTok.pos, "std." + name + " is not supported by ory4j's Jsonnet subset (supported: "
            + "std.length, std.startsWith, std.endsWith, std.objectHas)");
      }
      expect("(");
      List<Node> args = new ArrayList<>();
      while (!isPunct(")")) {
        args.add(expr(0));
        if (!isPunct(",")) {
          break;
        }
        at++;
      }
      expect(")");
      int arity = name.equals("length") ? 1 : 2;
      if (args.size() != arity) {
        throw errorAt(nameTok.pos, "std." + name + " takes " + arity + " argument" + (arity == 1 ? "" : "s"));
      }
      return postfix(new Call(name, args));
    }

    Node object() {
      List<Node> keys = new ArrayList<>();
      List<Node> values = new ArrayList<>();
      while (!isPunct("}")) {
        if (isKeyword("local") || isKeyword("assert")) {
          throw error("'" + peek().text + "' is not supported by ory4j's Jsonnet subset");
        }
        Token k = next();
        Node key;
        if (k.kind == Kind.IDENT && !KEYWORDS.contains(k.text)) {
          key = new Lit(F.textNode(k.text));
        } else if (k.kind == Kind.STRING) {
          key = new Lit(F.textNode(k.text));
        } else if (k.kind == Kind.PUNCT && k.text.equals("[")) {
          key = expr(0);
          expect("]");
        } else {
          throw errorAt(k.pos, "expected a field name, found " + describe(k));
        }
        if (isPunct("+")) {
          throw error("'+:' fields are not supported by ory4j's Jsonnet subset");
        }
        expect(":");
        if (isPunct(":")) {
          throw error("hidden fields ('::', ':::') are not supported by ory4j's Jsonnet subset");
        }
        keys.add(key);
        values.add(expr(0));
        if (!isPunct(",")) {
          break;
        }
        at++;
      }
      if (isKeyword("for")) {
        throw error("object comprehensions are not supported by ory4j's Jsonnet subset");
      }
      expect("}");
      return new Obj(keys, values);
    }
  }
}
