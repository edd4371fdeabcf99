package io.ory4j.accessrules.internal.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the rules that can match a request without running every rule's pattern: rules are grouped by method, and
 * within a method kept in a character trie of their literal prefixes (scheme, host and the start of the path), so a
 * lookup walks the URL once and only the rules whose prefix the URL starts with are run. The cost is nearly flat in
 * the number of rules.
 */
public final class RuleIndex {

  private final List<MatchTarget> targets;
  private final Map<String, Node> byMethod = new HashMap<>();

  public RuleIndex(List<MatchTarget> targets) {
    this.targets = List.copyOf(targets);
    for (MatchTarget t : this.targets) {
      for (String m : t.methods()) {
        Node root = byMethod.computeIfAbsent(m, k -> new Node());
        for (String prefix : t.pattern().literalPrefixes()) {
          root.insert(prefix, t.position());
        }
      }
    }
    byMethod.values().forEach(Node::freeze);
  }

  /** Every rule that matches, in load order (capture groups are extracted later, for the chosen rule only). */
  public List<Match> matchAll(String method, String url) {
    Node root = byMethod.get(method.toUpperCase(Locale.ROOT));
    if (root == null) {
      return List.of();
    }
    int[] candidates = root.collect(url);
    List<Match> out = new ArrayList<>(2);
    int last = -1;
    for (int position : candidates) {
      if (position == last) {
        continue;
      }
      last = position;
      MatchTarget t = targets.get(position);
      if (t.pattern().matches(url)) {
        out.add(new Match(t, List.of()));
      }
    }
    return out;
  }

  /** The same answer by running every rule: the reference the index is tested against. */
  public List<Match> scanAll(String method, String url) {
    List<Match> out = new ArrayList<>();
    for (MatchTarget t : targets) {
      if (t.matchesMethod(method)) {
        List<String> groups = t.pattern().match(url);
        if (groups != null) {
          out.add(new Match(t, groups));
        }
      }
    }
    return out;
  }

  /**
   * A matching rule and its capture groups.
   *
   * @param target the rule
   * @param groups the capture groups (empty for glob, and from {@link #matchAll} until asked for)
   */
  public record Match(MatchTarget target, List<String> groups) {
    public Match {
      groups = List.copyOf(groups);
    }
  }

  /** A trie node: rules whose prefix ends here, and children by character. */
  private static final class Node {
    private final Map<Character, Node> children = new HashMap<>();
    private int[] rules = new int[0];
    private final List<Integer> pending = new ArrayList<>();

    void insert(String prefix, int position) {
      Node n = this;
      for (int i = 0; i < prefix.length(); i++) {
        n = n.children.computeIfAbsent(prefix.charAt(i), c -> new Node());
      }
      n.pending.add(position);
    }

    void freeze() {
      rules = pending.stream().mapToInt(Integer::intValue).toArray();
      pending.clear();
      children.values().forEach(Node::freeze);
    }

    int[] collect(String url) {
      int[] acc = rules;
      int size = rules.length;
      Node n = this;
      for (int i = 0; i < url.length(); i++) {
        n = n.children.get(url.charAt(i));
        if (n == null) {
          break;
        }
        if (n.rules.length > 0) {
          if (size + n.rules.length > acc.length || acc == rules) {
            acc = Arrays.copyOf(acc, Math.max(size + n.rules.length, acc.length * 2));
          }
          System.arraycopy(n.rules, 0, acc, size, n.rules.length);
          size += n.rules.length;
        }
      }
      int[] result = size == acc.length && acc != rules ? acc : Arrays.copyOf(acc, size);
      Arrays.sort(result);
      return result;
    }
  }
}
