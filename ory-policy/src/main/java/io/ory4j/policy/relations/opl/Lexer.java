package io.ory4j.policy.relations.opl;

import java.util.ArrayList;
import java.util.List;

/** Splits OPL source into tokens, skipping white space and comments. Never throws: errors become ERROR tokens. */
final class Lexer {

  private static final String[] PUNCT = {"=>", "||", "&&", "==", "{", "}", "(", ")", "[", "]", "<", ">", ":", ";",
      ",", ".", "=", "!", "|", "&", "?"};

  private final String src;
  private int pos;
  private int line = 1;
  private int col = 1;

  Lexer(String src) {
    this.src = src;
  }

  List<Token> tokens() {
    List<Token> out = new ArrayList<>();
    while (true) {
      Token t = next();
      out.add(t);
      if (t.kind() == Token.Kind.EOF || t.kind() == Token.Kind.ERROR) {
        if (t.kind() == Token.Kind.ERROR) {
          out.add(new Token(Token.Kind.EOF, "", line, col, line, col));
        }
        return out;
      }
    }
  }

  private Token next() {
    skipSpaceAndComments();
    int sl = line;
    int sc = col;
    if (pos >= src.length()) {
      return new Token(Token.Kind.EOF, "", sl, sc, sl, sc);
    }
    char c = src.charAt(pos);
    if (Character.isLetter(c) || c == '_' || c == '$') {
      int start = pos;
      while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
          || src.charAt(pos) == '$')) {
        advance();
      }
      return new Token(Token.Kind.IDENT, src.substring(start, pos), sl, sc, line, col);
    }
    if (c == '"' || c == '\'' || c == '`') {
      char quote = c;
      advance();
      StringBuilder sb = new StringBuilder();
      while (pos < src.length() && src.charAt(pos) != quote) {
        if (src.charAt(pos) == '\n') {
          return new Token(Token.Kind.ERROR, "unterminated string literal", sl, sc, line, col);
        }
        if (src.charAt(pos) == '\\' && pos + 1 < src.length()) {
          advance();
        }
        sb.append(src.charAt(pos));
        advance();
      }
      if (pos >= src.length()) {
        return new Token(Token.Kind.ERROR, "unterminated string literal", sl, sc, line, col);
      }
      advance();
      return new Token(Token.Kind.STRING, sb.toString(), sl, sc, line, col);
    }
    for (String p : PUNCT) {
      if (src.startsWith(p, pos)) {
        for (int i = 0; i < p.length(); i++) {
          advance();
        }
        return new Token(Token.Kind.PUNCT, p, sl, sc, line, col);
      }
    }
    advance();
    return new Token(Token.Kind.ERROR, "unexpected character '" + c + "'", sl, sc, line, col);
  }

  private void skipSpaceAndComments() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (Character.isWhitespace(c) || c == '\uFEFF') {
        advance();
      } else if (src.startsWith("//", pos)) {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          advance();
        }
      } else if (src.startsWith("/*", pos)) {
        advance();
        advance();
        while (pos < src.length() && !src.startsWith("*/", pos)) {
          advance();
        }
        if (pos < src.length()) {
          advance();
          advance();
        }
      } else {
        return;
      }
    }
  }

  private void advance() {
    if (src.charAt(pos) == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
    pos++;
  }
}
