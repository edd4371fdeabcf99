package io.ory4j.policy.acp.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One dimension (subjects, resources or actions) of the index: literal patterns by value, and wildcard patterns by
 * their literal prefix. A value's candidates are the literal bucket of the value itself plus the prefix buckets of
 * each of its prefixes that some pattern has; only the distinct prefix lengths are probed, with the prefix hashes
 * computed in one pass over the value, so a lookup costs a few probes however many policies there are. Immutable;
 * {@link #with} derives a copy with one policy replaced.
 */
final class PrefixIndex {

  private static final CompiledPolicy[] NONE = new CompiledPolicy[0];

  private final Map<String, CompiledPolicy[]> literals;
  private final Map<String, CompiledPolicy[]> prefixes;
  /** Open addressing by the prefix's {@link String#hashCode}: slots hold chains of entries. */
  private final Entry[] table;
  private final int mask;
  private final int[] prefixLengths;

  private record Entry(String prefix, int hash, CompiledPolicy[] policies, @Nullable Entry next) {}

  private PrefixIndex(Map<String, CompiledPolicy[]> literals, Map<String, CompiledPolicy[]> prefixes) {
    this.literals = literals;
    this.prefixes = prefixes;
    int size = Integer.highestOneBit(Math.max(4, prefixes.size() * 2) - 1) << 1;
    this.table = new Entry[size];
    this.mask = size - 1;
    BitSet lengths = new BitSet();
    prefixes.forEach((k, v) -> {
      int h = k.hashCode();
      int slot = spread(h) & mask;
      table[slot] = new Entry(k, h, v, table[slot]);
      lengths.set(k.length());
    });
    this.prefixLengths = lengths.stream().toArray();
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /** Adds the buckets that may hold a policy matching {@code value}; returns how many entries were added. */
  int collect(String value, List<CompiledPolicy[]> out) {
    int n = 0;
    CompiledPolicy[] l = literals.get(value);
    if (l != null) {
      out.add(l);
      n += l.length;
    }
    // String.hashCode is polynomial, so the hash of each prefix of value comes from one pass, without substrings
    int h = 0;
    int i = 0;
    for (int len : prefixLengths) {
      if (len > value.length()) {
        break;
      }
      for (; i < len; i++) {
        h = 31 * h + value.charAt(i);
      }
      for (Entry e = table[spread(h) & mask]; e != null; e = e.next) {
        if (e.hash == h && e.prefix.length() == len && value.startsWith(e.prefix)) {
          out.add(e.policies);
          n += e.policies.length;
        }
      }
    }
    return n;
  }

  /** A copy without {@code removed}'s patterns and with {@code added}'s ({@code patterns} of this dimension). */
  PrefixIndex with(@Nullable CompiledPolicy removed, CompiledPattern @Nullable [] removedPatterns,
      @Nullable CompiledPolicy added, CompiledPattern @Nullable [] addedPatterns) {
    Map<String, CompiledPolicy[]> lit = new HashMap<>(literals);
    Map<String, CompiledPolicy[]> pre = new HashMap<>(prefixes);
    if (removed != null && removedPatterns != null) {
      for (CompiledPattern p : removedPatterns) {
        Map<String, CompiledPolicy[]> m = p.literal() != null ? lit : pre;
        CompiledPolicy[] bucket = m.get(p.prefix());
        if (bucket != null) {
          CompiledPolicy[] kept = Arrays.stream(bucket).filter(x -> x != removed).toArray(CompiledPolicy[]::new);
          if (kept.length == 0) {
            m.remove(p.prefix());
          } else {
            m.put(p.prefix(), kept);
          }
        }
      }
    }
    if (added != null && addedPatterns != null) {
      for (CompiledPattern p : addedPatterns) {
        Map<String, CompiledPolicy[]> m = p.literal() != null ? lit : pre;
        CompiledPolicy[] bucket = m.getOrDefault(p.prefix(), NONE);
        if (bucket.length == 0 || bucket[bucket.length - 1] != added) {
          CompiledPolicy[] grown = Arrays.copyOf(bucket, bucket.length + 1);
          grown[bucket.length] = added;
          m.put(p.prefix(), grown);
        }
      }
    }
    return new PrefixIndex(lit, pre);
  }

  static final class Builder {
    private final Map<String, List<CompiledPolicy>> literals = new HashMap<>();
    private final Map<String, List<CompiledPolicy>> prefixes = new HashMap<>();

    void add(CompiledPattern pattern, CompiledPolicy policy) {
      Map<String, List<CompiledPolicy>> m = pattern.literal() != null ? literals : prefixes;
      List<CompiledPolicy> bucket = m.computeIfAbsent(pattern.prefix(), k -> new ArrayList<>(2));
      if (bucket.isEmpty() || bucket.get(bucket.size() - 1) != policy) {
        bucket.add(policy);
      }
    }

    PrefixIndex build() {
      return new PrefixIndex(freeze(literals), freeze(prefixes));
    }

    private static Map<String, CompiledPolicy[]> freeze(Map<String, List<CompiledPolicy>> m) {
      Map<String, CompiledPolicy[]> out = new HashMap<>(Math.max(16, m.size() * 2));
      m.forEach((k, v) -> out.put(k, v.toArray(NONE)));
      return out;
    }
  }
}
