package io.ory4j.policy.relations.opl;

/** A lexical token with its source span (offsets, and 1-based line and column of its start and end). */
record Token(Kind kind, String text, int line, int column, int endLine, int endColumn) {

  enum Kind {
    IDENT,
    STRING,
    PUNCT,
    EOF,
    ERROR
  }

  boolean is(String s) {
    return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(s);
  }

  String describe() {
    return switch (kind) {
      case EOF -> "end of input";
      case STRING -> "string \"" + text + "\"";
      case ERROR -> text;
      default -> "\"" + text + "\"";
    };
  }
}
