package io.ory4j.policy.relations;

import io.ory4j.core.error.OryException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.policy.relations.internal.CheckEngine;
import io.ory4j.policy.relations.internal.ExpandEngine;
import io.ory4j.policy.relations.internal.NamespaceRegistry;
import io.ory4j.policy.relations.internal.ObjectLister;
import io.ory4j.policy.relations.opl.OplParseResult;
import io.ory4j.policy.relations.opl.OplParser;
import io.ory4j.policy.relations.spi.RelationTupleStore;
import io.ory4j.policy.relations.store.memory.InMemoryRelationTupleStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keto's permission engine in plain Java: relation tuples, namespaces from the Ory Permission Language (or built in
 * Java), and check, batch check, expand, list, patch and the reverse object lookup.
 *
 * <pre>{@code
 * Permissions permissions = Permissions.builder()
 *     .opl(Files.readString(Path.of("namespaces.ts")))
 *     .store(new JdbcRelationTupleStore(jdbc))
 *     .build();
 * permissions.insert(RelationTuple.parse("Document:readme#owners@alice"));
 * boolean canView = permissions.check(RelationTuple.parse("Document:readme#view@alice"));
 * }</pre>
 *
 * <p>Depth: a request's max depth is clamped to the configured {@code limit.max_read_depth} (default 5), and a
 * request depth of zero or less means the configured one, as Keto does.
 */
public final class Permissions {

  private static final Logger log = LoggerFactory.getLogger(Permissions.class);

  /** Keto's default {@code limit.max_read_depth}. */
  public static final int DEFAULT_MAX_READ_DEPTH = 5;

  private final RelationTupleStore store;
  private final NamespaceRegistry namespaces;
  private final CheckEngine checkEngine;
  private final ExpandEngine expandEngine;
  private final ObjectLister objectLister;
  private final int maxReadDepth;
  private final int maxBatchCheckSize;
  private final boolean strictMode;

  private Permissions(Builder b) {
    this.store = b.store;
    this.namespaces = new NamespaceRegistry(b.namespaces);
    this.maxReadDepth = b.maxReadDepth;
    this.maxBatchCheckSize = b.maxBatchCheckSize;
    this.strictMode = b.strictMode;
    this.checkEngine = new CheckEngine(store, namespaces, b.strictMode, b.maxReadWidth, b.undecidedNegationDenies);
    this.expandEngine = new ExpandEngine(store);
    this.objectLister = new ObjectLister(store, checkEngine, b.maxReadWidth);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The configured namespaces. */
  public List<Namespace> namespaces() {
    return namespaces.all();
  }

  /** True in Keto's strict mode. */
  public boolean strictMode() {
    return strictMode;
  }

  /** The depth a request asks for, clamped as Keto clamps it. */
  public int effectiveDepth(int requested) {
    return requested <= 0 || requested > maxReadDepth ? maxReadDepth : requested;
  }

  /** Whether the tuple's subject has the relation or permission on the object (with the configured max depth). */
  public boolean check(RelationTuple tuple) {
    return check(tuple, 0);
  }

  /** Whether the tuple's subject has the relation or permission on the object, within {@code maxDepth}. */
  public boolean check(RelationTuple tuple, int maxDepth) {
    namespaces.validate(tuple, false);
    boolean allowed = checkEngine.check(tuple, effectiveDepth(maxDepth));
    log.debug("check {} -> {}", tuple, allowed);
    return allowed;
  }

  /** The outcome of one check of a batch: allowed, or the error that prevented the check. */
  public record BatchResult(boolean allowed, @Nullable String error) {}

  /** Checks several tuples; a bad tuple gives an error in its own result and does not fail the others. */
  public List<BatchResult> batchCheck(List<RelationTuple> tuples, int maxDepth) {
    if (tuples.size() > maxBatchCheckSize) {
      throw OryException.badRequest("batch exceeds max size of " + maxBatchCheckSize);
    }
    List<BatchResult> out = new ArrayList<>(tuples.size());
    for (RelationTuple t : tuples) {
      try {
        out.add(new BatchResult(check(t, maxDepth), null));
      } catch (OryException e) {
        out.add(new BatchResult(false, e.getMessage()));
      }
    }
    return out;
  }

  /** Expands a subject set into the tree of its subjects; empty when it has no tuples. */
  public Optional<ExpandTree> expand(SubjectSet subjectSet, int maxDepth) {
    namespaces.requireNamespace(subjectSet.namespace(), "namespace");
    return Optional.ofNullable(expandEngine.expand(subjectSet, effectiveDepth(maxDepth)));
  }

  /** Lists tuples matching {@code query}, one page. */
  public Page<RelationTuple> list(RelationQuery query, PageRequest page) {
    if (query.namespace() != null) {
      namespaces.requireNamespace(query.namespace(), "namespace");
    }
    return store.find(query, page);
  }

  /** Beyond Keto: the objects of {@code namespace} on which {@code subject} has {@code relation}, sorted, paged. */
  public Page<String> listObjects(String namespace, String relation, Subject subject, PageRequest page) {
    Namespace n = namespaces.requireNamespace(namespace, "namespace");
    if (n.declaresRelations() && n.relation(relation).isEmpty()) {
      throw OryException.badRequest("Namespace \"" + namespace + "\" has no relation \"" + relation + "\".")
          .withDetail("field", "relation");
    }
    return objectLister.list(namespace, relation, subject, maxReadDepth, page);
  }

  /** Inserts a tuple (idempotent). */
  public void insert(RelationTuple tuple) {
    patch(List.of(PatchDelta.insert(tuple)));
  }

  /** Deletes a tuple (idempotent). */
  public void delete(RelationTuple tuple) {
    patch(List.of(PatchDelta.delete(tuple)));
  }

  /** Deletes every tuple matching {@code query}; at least the namespace must be set. */
  public int deleteAll(RelationQuery query) {
    if (query.namespace() == null) {
      throw OryException.badRequest("Deleting relation tuples requires at least the namespace.")
          .withDetail("field", "namespace");
    }
    namespaces.requireNamespace(query.namespace(), "namespace");
    return store.delete(query);
  }

  /** Applies inserts and deletes in one transaction; every tuple is validated before anything is written. */
  public void patch(List<PatchDelta> deltas) {
    for (PatchDelta d : deltas) {
      namespaces.validate(d.tuple(), d.action() == PatchDelta.Action.INSERT);
    }
    List<RelationTuple> insert = deltas.stream().filter(d -> d.action() == PatchDelta.Action.INSERT)
        .map(PatchDelta::tuple).collect(Collectors.toList());
    List<RelationTuple> delete = deltas.stream().filter(d -> d.action() == PatchDelta.Action.DELETE)
        .map(PatchDelta::tuple).collect(Collectors.toList());
    store.write(insert, delete);
  }

  /** Parses OPL and reports its errors with positions, as Keto's syntax check does. */
  public static OplParseResult checkSyntax(String opl) {
    return OplParser.parse(opl);
  }

  /** Builds {@link Permissions}. */
  public static final class Builder {
    private RelationTupleStore store = new InMemoryRelationTupleStore();
    private final List<Namespace> namespaces = new ArrayList<>();
    private int maxReadDepth = DEFAULT_MAX_READ_DEPTH;
    private int maxReadWidth = 1000;
    private int maxBatchCheckSize = 10;
    private boolean strictMode;
    private boolean undecidedNegationDenies;

    private Builder() {}

    /**
     * Beyond Keto, off by default: keep "unknown" (depth used up) through unions and intersections, so that a
     * negation over an undecided sub-check never grants. With Keto's semantics (the default), {@code !(a && b)}
     * checked with a caller-chosen {@code max-depth} of 1 is allowed even when {@code a} and {@code b} hold; turn
     * this on when a model uses {@code !} and clients choose the depth.
     */
    public Builder undecidedNegationDenies(boolean v) {
      undecidedNegationDenies = v;
      return this;
    }

    /** The tuple store (default: in memory). */
    public Builder store(RelationTupleStore s) {
      store = Objects.requireNonNull(s, "store");
      return this;
    }

    /** Namespaces declared in the Ory Permission Language; a document with errors is refused with them. */
    public Builder opl(String source) {
      OplParseResult r = OplParser.parse(source);
      if (!r.isValid()) {
        throw new IllegalArgumentException("invalid OPL: " + r.errors().stream().map(Object::toString)
            .collect(Collectors.joining("; ")));
      }
      namespaces.addAll(r.namespaces());
      return this;
    }

    /** Namespaces built in Java (or by name only, as Keto's legacy config). */
    public Builder namespaces(Namespace... ns) {
      namespaces.addAll(List.of(ns));
      return this;
    }

    /** {@code limit.max_read_depth}: the deepest a check or expand may go (default 5). */
    public Builder maxReadDepth(int depth) {
      if (depth < 1) {
        throw new IllegalArgumentException("limit.max_read_depth must be at least 1");
      }
      maxReadDepth = depth;
      return this;
    }

    /** How many subject sets one step of a check may expand (default 1000). */
    public Builder maxReadWidth(int width) {
      if (width < 1) {
        throw new IllegalArgumentException("limit.max_read_width must be at least 1");
      }
      maxReadWidth = width;
      return this;
    }

    /** The most tuples one batch check may carry (default 10). */
    public Builder maxBatchCheckSize(int size) {
      maxBatchCheckSize = size;
      return this;
    }

    /** Keto's strict mode ({@code namespaces.experimental_strict_mode}). */
    public Builder strictMode(boolean strict) {
      strictMode = strict;
      return this;
    }

    public Permissions build() {
      return new Permissions(this);
    }
  }
}
