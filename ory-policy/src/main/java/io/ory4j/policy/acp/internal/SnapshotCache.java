package io.ory4j.policy.acp.internal;

import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.spi.ConditionType;
import io.ory4j.policy.acp.spi.PolicyStore;
import io.ory4j.policy.acp.spi.RoleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.Role;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one {@link AcpSnapshot} per flavor. A snapshot older than {@code maxStaleness} is verified against the stores'
 * revisions before use (a cheap read) and rebuilt when they changed, so a change made by another process shows
 * within the bound; {@link #invalidate} (called after every write through this engine) makes the next decision
 * rebuild at once.
 */
public final class SnapshotCache {

  private static final Logger log = LoggerFactory.getLogger(SnapshotCache.class);

  private final PolicyStore policies;
  private final RoleStore roles;
  private final Patterns patterns;
  private final Map<String, ConditionType> conditionTypes;
  private final Clock clock;
  private final Duration maxStaleness;
  private final Map<Flavor, Holder> holders = new EnumMap<>(Flavor.class);

  private static final class Holder {
    volatile AcpSnapshot snapshot;
    volatile boolean dirty = true;
  }

  public SnapshotCache(PolicyStore policies, RoleStore roles, Patterns patterns,
      Map<String, ConditionType> conditionTypes, Clock clock, Duration maxStaleness) {
    this.policies = policies;
    this.roles = roles;
    this.patterns = patterns;
    this.conditionTypes = Map.copyOf(conditionTypes);
    this.clock = clock;
    this.maxStaleness = maxStaleness;
    for (Flavor f : Flavor.values()) {
      holders.put(f, new Holder());
    }
  }

  /** The snapshot of {@code flavor}, at most {@code maxStaleness} behind the stores. */
  public AcpSnapshot get(Flavor flavor) {
    Holder h = holders.get(flavor);
    AcpSnapshot s = h.snapshot;
    if (s != null && !h.dirty) {
      Instant now = clock.instant();
      if (Duration.between(s.verifiedAt, now).compareTo(maxStaleness) < 0) {
        return s;
      }
    }
    synchronized (h) {
      s = h.snapshot;
      Instant now = clock.instant();
      if (s != null && !h.dirty && Duration.between(s.verifiedAt, now).compareTo(maxStaleness) < 0) {
        return s;
      }
      // read the revisions first: data read afterwards is at least that new
      long pr = policies.revision(flavor);
      long rr = roles.revision(flavor);
      if (s != null && !h.dirty && s.policyRevision == pr && s.roleRevision == rr) {
        s.verifiedAt = now;
        return s;
      }
      h.dirty = false;
      AcpSnapshot fresh = AcpSnapshot.build(flavor, policies.all(flavor), roles.all(flavor), pr, rr, patterns,
          conditionTypes, now);
      log.debug("indexed {} {} policies (policy revision {}, role revision {})", fresh.size(), flavor, pr, rr);
      h.snapshot = fresh;
      return fresh;
    }
  }

  /**
   * After policy {@code id} was written ({@code policy}) or deleted (null) through this engine: when the store's
   * revision shows that write and no other, the snapshot is patched in place of a rebuild; otherwise the next
   * decision rebuilds from the stores.
   */
  public void policyWritten(Flavor flavor, String id, @Nullable Policy policy) {
    Holder h = holders.get(flavor);
    synchronized (h) {
      AcpSnapshot s = h.snapshot;
      if (s == null || h.dirty) {
        return;
      }
      try {
        long r = policies.revision(flavor);
        if (r == s.policyRevision + 1) {
          h.snapshot = s.withPolicy(flavor, id, policy, r, patterns, conditionTypes, clock.instant());
        } else if (r != s.policyRevision) {
          h.dirty = true;
        }
      } catch (RuntimeException e) {
        h.dirty = true;
        throw e;
      }
    }
  }

  /** After role {@code id} was written ({@code role}) or deleted (null) through this engine; see policyWritten. */
  public void roleWritten(Flavor flavor, String id, @Nullable Role role) {
    Holder h = holders.get(flavor);
    synchronized (h) {
      AcpSnapshot s = h.snapshot;
      if (s == null || h.dirty) {
        return;
      }
      try {
        long r = roles.revision(flavor);
        if (r == s.roleRevision + 1) {
          h.snapshot = s.withRole(id, role, r, clock.instant());
        } else if (r != s.roleRevision) {
          h.dirty = true;
        }
      } catch (RuntimeException e) {
        h.dirty = true;
        throw e;
      }
    }
  }

  /** Makes the next decision of {@code flavor} rebuild from the stores. */
  public void invalidate(Flavor flavor) {
    holders.get(flavor).dirty = true;
  }
}
