package io.ory4j.policy.relations.opl;

import io.ory4j.policy.relations.Namespace;
import io.ory4j.policy.relations.Relation;
import io.ory4j.policy.relations.RelationType;
import io.ory4j.policy.relations.Rewrite;
import io.ory4j.policy.relations.Rewrite.Operator;
import io.ory4j.policy.relations.Rewrite.SetOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Ory Permission Language as Keto does.
 *
 * <p>Accepted: {@code import ... from "..."} lines (skipped), and classes {@code class N implements Namespace { ... }}
 * with {@code related: { r: T[]; s: (A | SubjectSet<B, "rel">)[]; t: Array<T> }} and
 * {@code permits = { p: (ctx: Context): boolean => expr, ... }} where an expression is
 * {@code this.related.R.includes(ctx.subject)}, {@code this.permits.P(ctx)},
 * {@code this.related.R.traverse((x) => x.related.Q.includes(ctx.subject))},
 * {@code this.related.R.traverse((x) => x.permits.P(ctx))}, {@code !e}, {@code (e)}, {@code e || e}, {@code e && e}.
 * Property access may also be written {@code this.related["R"]}.
 *
 * <p>Binary operators have no precedence: like Keto's parser they associate to the left as written, so
 * {@code a || b && c} means {@code (a || b) && c}; nested operations of the same kind are flattened. After parsing,
 * every relation an expression names is checked to exist (in the namespace, or in every type of a traversed
 * relation), and every type to name a declared namespace. A syntax error stops the parse; type errors are all
 * reported.
 */
public final class OplParser {

  /** How deeply expressions may nest, as Keto limits it. */
  public static final int MAX_NESTING = 10;

  private final List<Token> tokens;
  private int i;
  private final List<OplError> errors = new ArrayList<>();
  private final List<Namespace> namespaces = new ArrayList<>();
  private final List<Runnable> checks = new ArrayList<>();
  private final Map<String, Map<String, Relation>> declared = new LinkedHashMap<>();

  private OplParser(String source) {
    this.tokens = new Lexer(source).tokens();
  }

  /** Parses an OPL document. Never throws for bad input: problems are in {@link OplParseResult#errors()}. */
  public static OplParseResult parse(String source) {
    OplParser p = new OplParser(source);
    try {
      p.document();
      p.checks.forEach(Runnable::run);
    } catch (Abort ignored) {
      // the error is recorded
    }
    p.errors.sort((a, b) -> a.start().line() != b.start().line() ? Integer.compare(a.start().line(), b.start().line())
        : Integer.compare(a.start().column(), b.start().column()));
    return new OplParseResult(p.namespaces, p.errors);
  }

  private static final class Abort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abort() {
      super(null, null, false, false);
    }
  }

  // ---- document ----

  private void document() {
    while (true) {
      Token t = peek();
      if (t.kind() == Token.Kind.EOF) {
        return;
      }
      if (t.is("import")) {
        skipImport();
      } else if (t.is("export")) {
        next();
      } else if (t.is("class")) {
        next();
        namespace();
      } else if (t.is("type") || t.is("interface")) {
        fatal(t, "type and interface declarations are not supported; declare namespaces with 'class'");
      } else {
        fatal(t, "expected 'class', got " + t.describe());
      }
    }
  }

  private void skipImport() {
    Token start = next();
    while (true) {
      Token t = next();
      if (t.kind() == Token.Kind.EOF) {
        fatal(start, "unterminated import statement");
      }
      if (t.is("from")) {
        expectKind(Token.Kind.STRING, "a module name");
        if (peek().is(";")) {
          next();
        }
        return;
      }
    }
  }

  private void namespace() {
    Token name = expectKind(Token.Kind.IDENT, "a namespace name");
    expect("implements");
    Token iface = expectKind(Token.Kind.IDENT, "'Namespace'");
    if (!iface.text().equals("Namespace")) {
      error(iface, "unexpected 'implements' interface " + iface.describe() + ", expected 'Namespace'");
    }
    expect("{");
    if (declared.containsKey(name.text())) {
      error(name, "namespace \"" + name.text() + "\" is declared twice");
    }
    Map<String, Relation> relations = new LinkedHashMap<>();
    declared.put(name.text(), relations);
    while (true) {
      Token t = next();
      if (t.is("}")) {
        break;
      }
      if (t.is("related")) {
        related(name.text(), relations);
      } else if (t.is("permits")) {
        permits(name.text(), relations);
      } else if (t.is("metadata")) {
        skipBalanced();
      } else {
        fatal(t, "expected 'related', 'permits' or '}', got " + t.describe());
      }
      if (peek().is(";")) {
        next();
      }
    }
    namespaces.add(new Namespace(name.text(), relations));
  }

  private void skipBalanced() {
    // metadata = { id: "1" } or similar; consumed and ignored
    while (!peek().is("{")) {
      if (peek().kind() == Token.Kind.EOF) {
        fatal(peek(), "unexpected end of input");
      }
      next();
    }
    int depth = 0;
    do {
      Token t = next();
      if (t.is("{")) {
        depth++;
      } else if (t.is("}")) {
        depth--;
      } else if (t.kind() == Token.Kind.EOF) {
        fatal(t, "unexpected end of input");
      }
    } while (depth > 0);
  }

  // ---- related ----

  private void related(String ns, Map<String, Relation> relations) {
    expect(":");
    expect("{");
    while (true) {
      Token t = next();
      if (t.is("}")) {
        return;
      }
      if (t.kind() != Token.Kind.IDENT && t.kind() != Token.Kind.STRING) {
        fatal(t, "expected a relation name or '}', got " + t.describe());
      }
      expect(":");
      List<RelationType> types = typeExpression();
      addRelation(ns, relations, t, new Relation(t.text(), types, null));
      if (peek().is(";") || peek().is(",")) {
        next();
      }
    }
  }

  private List<RelationType> typeExpression() {
    List<RelationType> types = new ArrayList<>();
    Token t = peek();
    if (t.is("Array")) {
      next();
      expect("<");
      typeUnion(types, ">");
      return types;
    }
    if (t.is("(")) {
      next();
      typeUnion(types, ")");
      expect("[");
      expect("]");
      return types;
    }
    types.add(typeAtom());
    expect("[");
    expect("]");
    return types;
  }

  private void typeUnion(List<RelationType> types, String end) {
    while (true) {
      types.add(typeAtom());
      Token t = next();
      if (t.is(end)) {
        return;
      }
      if (!t.is("|")) {
        fatal(t, "expected '|' or '" + end + "', got " + t.describe());
      }
    }
  }

  private RelationType typeAtom() {
    Token t = expectKind(Token.Kind.IDENT, "a type");
    if (t.text().equals("SubjectSet")) {
      expect("<");
      Token ns = expectKind(Token.Kind.IDENT, "a namespace");
      expect(",");
      Token rel = expectKind(Token.Kind.STRING, "a relation name in quotes");
      expect(">");
      checks.add(() -> {
        if (!declared.containsKey(ns.text())) {
          error(ns, "namespace \"" + ns.text() + "\" was not declared");
        } else if (!declared.get(ns.text()).containsKey(rel.text())) {
          error(rel, "namespace \"" + ns.text() + "\" did not declare relation \"" + rel.text() + "\"");
        }
      });
      return RelationType.subjectSet(ns.text(), rel.text());
    }
    checks.add(() -> {
      if (!declared.containsKey(t.text())) {
        error(t, "namespace \"" + t.text() + "\" was not declared");
      }
    });
    return RelationType.of(t.text());
  }

  // ---- permits ----

  private void permits(String ns, Map<String, Relation> relations) {
    expect("=");
    expect("{");
    while (true) {
      Token t = next();
      if (t.is("}")) {
        return;
      }
      if (t.kind() != Token.Kind.IDENT && t.kind() != Token.Kind.STRING) {
        fatal(t, "expected a permission name or '}', got " + t.describe());
      }
      expect(":");
      expect("(");
      expect("ctx");
      if (peek().is(":")) {
        next();
        Token type = expectKind(Token.Kind.IDENT, "'Context'");
        if (!type.text().equals("Context")) {
          error(type, "unexpected type annotation " + type.describe() + ", expected 'Context'");
        }
      }
      expect(")");
      if (peek().is(":")) {
        next();
        Token type = expectKind(Token.Kind.IDENT, "'boolean'");
        if (!type.text().equals("boolean")) {
          error(type, "unexpected type annotation " + type.describe() + ", expected 'boolean'");
        }
      }
      expect("=>");
      SetOperation rewrite = expressions(ns, relations, null, MAX_NESTING);
      addRelation(ns, relations, t, new Relation(t.text(), List.of(), simplify(rewrite)));
    }
  }

  /** Parses a left-associative expression list until {@code ,} or {@code }} (top level) or {@code )}. */
  private SetOperation expressions(String ns, Map<String, Relation> rel, String close, int depth) {
    if (depth <= 0) {
      fatal(peek(), "expression nested too deeply; maximal nesting depth is " + MAX_NESTING);
    }
    SetOperation root = null;
    boolean expectOperand = true;
    while (true) {
      Token t = peek();
      if (close == null && (t.is(",") || t.is("}"))) {
        if (t.is(",")) {
          next();
        }
        return requireRoot(root, t, expectOperand);
      }
      if (close != null && t.is(close)) {
        next();
        return requireRoot(root, t, expectOperand);
      }
      if (t.is("||") || t.is("&&")) {
        next();
        if (root == null || expectOperand) {
          fatal(t, "expected an expression before " + t.describe());
        }
        root = new SetOperation(t.is("||") ? Operator.OR : Operator.AND, List.of(root));
        expectOperand = true;
        continue;
      }
      if (!expectOperand) {
        fatal(t, "expected '||', '&&' or the end of the expression, got " + t.describe());
      }
      Rewrite operand = operand(ns, rel, depth);
      root = add(root, operand);
      expectOperand = false;
    }
  }

  private SetOperation requireRoot(SetOperation root, Token at, boolean expectOperand) {
    if (root == null || expectOperand) {
      fatal(at, "expected an expression, got " + at.describe());
    }
    return root;
  }

  private Rewrite operand(String ns, Map<String, Relation> rel, int depth) {
    Token t = peek();
    if (t.is("(")) {
      next();
      return expressions(ns, rel, ")", depth - 1);
    }
    if (t.is("!")) {
      next();
      if (depth - 1 <= 0) {
        fatal(t, "expression nested too deeply; maximal nesting depth is " + MAX_NESTING);
      }
      if (peek().is("(")) {
        next();
        return new Rewrite.Not(expressions(ns, rel, ")", depth - 1));
      }
      return new Rewrite.Not(permissionExpression(ns));
    }
    return permissionExpression(ns);
  }

  private Rewrite permissionExpression(String ns) {
    expect("this");
    expect(".");
    Token verb = expectKind(Token.Kind.IDENT, "'related' or 'permits'");
    Token name = property();
    switch (verb.text()) {
      case "related" -> {
        expect(".");
        Token method = expectKind(Token.Kind.IDENT, "'includes' or 'traverse'");
        if (method.text().equals("includes")) {
          expect("(");
          expect("ctx");
          expect(".");
          expect("subject");
          expect(")");
          requireRelation(ns, name, false);
          return new Rewrite.ComputedSubjectSet(name.text());
        }
        if (method.text().equals("traverse")) {
          return traverse(ns, name);
        }
        fatal(method, "expected 'traverse' or 'includes', got " + method.describe());
        return null;
      }
      case "permits" -> {
        expect("(");
        expect("ctx");
        expect(")");
        requireRelation(ns, name, false);
        return new Rewrite.ComputedSubjectSet(name.text());
      }
      default -> {
        fatal(verb, "expected 'related' or 'permits', got " + verb.describe());
        return null;
      }
    }
  }

  private Rewrite traverse(String ns, Token relation) {
    expect("(");
    Token arg;
    if (peek().is("(")) {
      next();
      arg = expectKind(Token.Kind.IDENT, "a parameter name");
      expect(")");
    } else {
      arg = expectKind(Token.Kind.IDENT, "a parameter name");
    }
    expect("=>");
    Token obj = expectKind(Token.Kind.IDENT, "'" + arg.text() + "'");
    if (!obj.text().equals(arg.text())) {
      error(obj, "unexpected object " + obj.describe() + ", expected '" + arg.text() + "'");
    }
    expect(".");
    Token verb = expectKind(Token.Kind.IDENT, "'related' or 'permits'");
    Token computed = property();
    if (verb.text().equals("related")) {
      expect(".");
      expect("includes");
      expect("(");
      expect("ctx");
      expect(".");
      expect("subject");
      optional(",");
      expect(")");
    } else if (verb.text().equals("permits")) {
      expect("(");
      expect("ctx");
      expect(")");
    } else {
      fatal(verb, "expected 'related' or 'permits', got " + verb.describe());
    }
    optional(",");
    expect(")");
    requireRelation(ns, relation, false);
    checks.add(() -> {
      Relation r = declared.getOrDefault(ns, Map.of()).get(relation.text());
      if (r == null) {
        return;
      }
      for (RelationType type : r.types()) {
        Map<String, Relation> target = declared.get(type.namespace());
        if (target != null && !target.containsKey(computed.text())) {
          error(computed, "relation \"" + computed.text() + "\" was not declared in namespace \"" + type.namespace()
              + "\" (a type of \"" + relation.text() + "\")");
        }
      }
    });
    return new Rewrite.TupleToSubjectSet(relation.text(), computed.text());
  }

  private Token property() {
    if (peek().is("[")) {
      next();
      Token name = expectKind(Token.Kind.STRING, "a relation name in quotes");
      expect("]");
      return name;
    }
    expect(".");
    return expectKind(Token.Kind.IDENT, "a relation name");
  }

  private void requireRelation(String ns, Token name, boolean unused) {
    checks.add(() -> {
      if (!declared.getOrDefault(ns, Map.of()).containsKey(name.text())) {
        error(name, "namespace \"" + ns + "\" did not declare relation \"" + name.text() + "\"");
      }
    });
  }

  private void addRelation(String ns, Map<String, Relation> relations, Token at, Relation r) {
    if (relations.putIfAbsent(r.name(), r) != null) {
      error(at, "namespace \"" + ns + "\" declares relation \"" + r.name() + "\" twice");
    }
  }

  // ---- tree helpers, as Keto builds it ----

  private static SetOperation add(SetOperation root, Rewrite child) {
    if (root == null) {
      return child instanceof SetOperation s ? s : new SetOperation(Operator.OR, List.of(child));
    }
    List<Rewrite> children = new ArrayList<>(root.children());
    children.add(child);
    return new SetOperation(root.operator(), children);
  }

  /** Flattens children that are operations of the same kind into their parent. */
  static SetOperation simplify(SetOperation root) {
    List<Rewrite> children = new ArrayList<>();
    for (Rewrite c : root.children()) {
      if (c instanceof SetOperation s && s.operator() == root.operator()) {
        children.addAll(simplify(s).children());
      } else if (c instanceof SetOperation s) {
        children.add(simplify(s));
      } else if (c instanceof Rewrite.Not n && n.child() instanceof SetOperation s) {
        children.add(new Rewrite.Not(simplify(s)));
      } else {
        children.add(c);
      }
    }
    return new SetOperation(root.operator(), children);
  }

  // ---- token helpers ----

  private Token peek() {
    return tokens.get(i);
  }

  private Token next() {
    Token t = tokens.get(i);
    if (t.kind() == Token.Kind.ERROR) {
      fatal(t, t.text());
    }
    if (t.kind() != Token.Kind.EOF) {
      i++;
    }
    return t;
  }

  private Token expect(String text) {
    Token t = next();
    if (!t.is(text)) {
      fatal(t, "expected '" + text + "', got " + t.describe());
    }
    return t;
  }

  private void optional(String text) {
    if (peek().is(text)) {
      next();
    }
  }

  private Token expectKind(Token.Kind kind, String what) {
    Token t = next();
    if (t.kind() != kind) {
      fatal(t, "expected " + what + ", got " + t.describe());
    }
    return t;
  }

  private void error(Token t, String message) {
    errors.add(new OplError(message, new OplError.Position(t.line(), t.column()),
        new OplError.Position(t.endLine(), t.endColumn())));
  }

  private void fatal(Token t, String message) {
    error(t, message);
    throw new Abort();
  }
}
