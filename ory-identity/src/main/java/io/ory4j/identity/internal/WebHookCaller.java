package io.ory4j.identity.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.error.OryError;
import io.ory4j.core.error.OryException;
import io.ory4j.identity.Identity;
import io.ory4j.identity.IdentityException;
import io.ory4j.identity.SelfServiceRequest;
import io.ory4j.identity.Session;
import io.ory4j.identity.UiMessage;
import io.ory4j.identity.WebHook;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Kratos' {@code web_hook}: renders the body template from the flow context, sends the request, and reads the
 * answer as Kratos does (interrupt with messages, parse an identity, or ignore). Not API.
 */
public final class WebHookCaller {

  private static final Logger log = LoggerFactory.getLogger(WebHookCaller.class);
  /** At most this much of an answer is read (as Kratos). */
  static final int MAX_RESPONSE_BYTES = 5 << 20;
  /** The request headers bound into {@code ctx.request_headers} (Kratos' allow list; no cookies, no auth). */
  static final Set<String> HEADER_ALLOW_LIST = Set.of("accept", "accept-encoding", "accept-language",
      "content-length", "content-type", "origin", "priority", "referer", "sec-ch-ua", "sec-ch-ua-mobile",
      "sec-ch-ua-platform", "sec-fetch-dest", "sec-fetch-mode", "sec-fetch-site", "sec-fetch-user", "true-client-ip",
      "user-agent");

  private final java.util.function.Supplier<HttpClient> client;
  private final ObjectMapper mapper;
  private final Map<String, JsonnetSubset> templates = new ConcurrentHashMap<>();

  /** @param client the host's client, or null: a JDK client (10 s connect timeout) built when a hook first calls */
  public WebHookCaller(@org.jspecify.annotations.Nullable HttpClient client, ObjectMapper mapper) {
    this.client = client != null ? () -> client : new java.util.function.Supplier<>() {
      // building a client sets up TLS (about 0.1 s): not at start-up, and not at all without web hooks
      private volatile @org.jspecify.annotations.Nullable HttpClient built;

      @Override
      public synchronized HttpClient get() {
        if (built == null) {
          built = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10))
              .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return built;
      }
    };
    this.mapper = mapper;
  }

  /**
   * Calls the hook and returns the identity to continue with: the same, or (with {@code response.parse}) with the
   * traits, schema, state and metadata the answer gave.
   *
   * @throws IdentityException 400 when an interrupting hook answered 4xx with Kratos' {@code messages}
   * @throws OryException 502 for another failure answer, 504 when it timed out, 500 when the template failed
   */
  public Identity call(WebHook hook, String flowType, Identity identity, @Nullable Session session,
      SelfServiceRequest request) {
    JsonNode body;
    try {
      body = templates.computeIfAbsent(hook.body(), JsonnetSubset::parse).evaluate(context(identity, session,
          request));
    } catch (JsonnetSubset.EvaluationError e) {
      if (e.explicit() && e.getMessage().equals("cancel")) {
        log.debug("web hook {} cancelled by its template ({} flow)", hook.url(), flowType);
        return identity;
      }
      log.warn("web hook {} template failed for identity {}: {}", hook.url(), identity.id(), e.getMessage());
      throw new OryException(OryError.of(500, "The web hook's body template failed.")
          .withReason("web hook " + hook.url() + ": " + e.getMessage()));
    }
    HttpRequest req = request(hook, body);
    if (hook.responseIgnore()) {
      client.get().sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((res, err) -> {
        if (err != null) {
          log.warn("web hook {} failed; ignored as configured (response.ignore): {}", hook.url(), err.toString());
        } else {
          log.debug("web hook {} answered {} (ignored)", hook.url(), res.statusCode());
        }
      });
      return identity;
    }
    HttpResponse<InputStream> res;
    byte[] answer;
    try {
      res = client.get().send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = res.body()) {
        answer = in.readNBytes(MAX_RESPONSE_BYTES);
      }
    } catch (HttpTimeoutException e) {
      log.warn("web hook {} timed out after {}", hook.url(), hook.timeout());
      throw new OryException(OryError.of(504, "A third-party upstream service could not be reached. Please try again "
          + "later.").withReason("web hook " + hook.url() + " did not answer within " + hook.timeout()));
    } catch (IOException e) {
      log.warn("web hook {} could not be reached: {}", hook.url(), e.toString());
      throw new OryException(OryError.of(502, "A third-party upstream service could not be reached. Please try again "
          + "later.").withReason("web hook " + hook.url() + " could not be reached"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw OryException.unavailable("Interrupted while calling a web hook.");
    }
    int status = res.statusCode();
    log.debug("web hook {} answered {} ({} flow)", hook.url(), status, flowType);
    if (status >= 400) {
      if (hook.canInterrupt() || hook.responseParse()) {
        throw interrupt(hook, status, answer);
      }
      throw badGateway("webhook failed with status code " + status);
    }
    if (hook.responseParse() && status == 200) {
      return parsed(hook, identity, answer);
    }
    return identity;
  }

  private static OryException badGateway(String reason) {
    return new OryException(OryError.of(502, "A third-party upstream service responded improperly. Please try again "
        + "later.").withReason(reason));
  }

  private HttpRequest request(WebHook hook, JsonNode body) {
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(hook.url()).timeout(hook.timeout())
        .header("Content-Type", "application/json").method(hook.method(), HttpRequest.BodyPublishers.ofByteArray(
            bytes));
    hook.headers().forEach(b::header);
    if (hook.auth() instanceof WebHook.ApiKey k) {
      if (k.in().equals("cookie")) {
        b.header("Cookie", k.name() + "=" + k.value());
      } else {
        b.header(k.name(), k.value());
      }
    } else if (hook.auth() instanceof WebHook.BasicAuth a) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((a.user() + ":" + a.password())
          .getBytes(StandardCharsets.UTF_8)));
    }
    return b.build();
  }

  /** Kratos' template context: flow, request facts (allow-listed headers), identity (no credentials), session. */
  private ObjectNode context(Identity identity, @Nullable Session session, SelfServiceRequest r) {
    ObjectNode ctx = mapper.createObjectNode();
    ctx.set("flow", r.flow());
    ObjectNode headers = ctx.putObject("request_headers");
    r.headers().forEach((k, v) -> {
      if (HEADER_ALLOW_LIST.contains(k.toLowerCase(Locale.ROOT))) {
        ArrayNode a = headers.putArray(canonical(k));
        v.forEach(a::add);
      }
    });
    ctx.put("request_method", r.method());
    ctx.put("request_url", r.url());
    ObjectNode cookies = ctx.putObject("request_cookies");
    r.cookies().forEach(cookies::put);
    ctx.set("identity", mapper.valueToTree(identity.withoutCredentials()));
    if (session != null) {
      ctx.set("session", mapper.valueToTree(session.withIdentity(identity.withoutCredentials())));
    }
    return ctx;
  }

  /** Go's canonical header form, as Kratos' context shows it: {@code User-Agent}. */
  private static String canonical(String name) {
    StringBuilder b = new StringBuilder(name.length());
    boolean upper = true;
    for (char c : name.toCharArray()) {
      b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return b.toString();
  }

  /** A 4xx answer of an interrupting hook: Kratos' {@code {"messages": [{"instance_ptr", "messages": [...]}]}}. */
  private IdentityException interrupt(WebHook hook, int status, byte[] answer) {
    JsonNode root;
    try {
      root = mapper.readTree(answer);
    } catch (IOException e) {
      root = null;
    }
    List<UiMessage> form = new ArrayList<>();
    Map<String, List<UiMessage>> fields = new LinkedHashMap<>();
    if (root != null) {
      for (JsonNode m : root.path("messages")) {
        String node = nodeName(m.path("instance_ptr").asText(""));
        for (JsonNode d : m.path("messages")) {
          Map<String, Object> context = new LinkedHashMap<>();
          d.path("context").fields().forEachRemaining(e -> context.put(e.getKey(), mapper.convertValue(e.getValue(),
              Object.class)));
          UiMessage msg = new UiMessage(d.path("id").asLong(0), d.path("text").asText(""),
              "error".equals(d.path("type").asText()) ? "error" : "info", context);
          if (node.isEmpty()) {
            form.add(msg);
          } else {
            fields.computeIfAbsent(node, k -> new ArrayList<>()).add(msg);
          }
        }
      }
    }
    if (form.isEmpty() && fields.isEmpty()) {
      log.warn("web hook {} answered {} without Kratos' messages", hook.url(), status);
      throw badGateway("webhook failed with status code " + status + " and no messages to show");
    }
    log.debug("web hook {} interrupted the flow with {} message(s)", hook.url(), form.size() + fields.size());
    return new IdentityException(400, form, fields, null);
  }

  /** {@code #/traits/email} to the UI node name {@code traits.email}; the root to "" (the form). */
  static String nodeName(String instancePtr) {
    String p = instancePtr.startsWith("#") ? instancePtr.substring(1) : instancePtr;
    p = p.startsWith("/") ? p.substring(1) : p;
    return p.replace('/', '.').replace("~1", "/").replace("~0", "~");
  }

  /** A 200 answer to {@code response.parse}: {@code {"identity": {...}}} replaces what it names. */
  private Identity parsed(WebHook hook, Identity identity, byte[] answer) {
    JsonNode root;
    try {
      root = mapper.readTree(answer);
    } catch (IOException e) {
      throw badGateway("webhook response could not be unmarshalled properly from JSON");
    }
    JsonNode i = root == null ? null : root.get("identity");
    if (i == null || i.isNull()) {
      return identity;
    }
    if (!i.isObject()) {
      throw badGateway("webhook response identity must be an object");
    }
    JsonNode traits = nonEmpty(i.get("traits")) ? i.get("traits") : identity.traits();
    String schemaId = i.path("schema_id").asText("").isEmpty() ? identity.schemaId() : i.path("schema_id").asText();
    String state = i.path("state").asText("").isEmpty() ? identity.state() : i.path("state").asText();
    JsonNode mp = nonEmpty(i.get("metadata_public")) ? i.get("metadata_public") : identity.metadataPublic();
    JsonNode ma = nonEmpty(i.get("metadata_admin")) ? i.get("metadata_admin") : identity.metadataAdmin();
    try {
      log.debug("web hook {} changed identity {}", hook.url(), identity.id());
      return new Identity(identity.id(), schemaId, state, identity.stateChangedAt(), traits,
          identity.verifiableAddresses(), identity.recoveryAddresses(), mp, ma, identity.credentials(),
          identity.createdAt(), identity.updatedAt());
    } catch (IllegalArgumentException e) {
      throw badGateway("webhook response identity is invalid: " + e.getMessage());
    }
  }

  /** Kratos replaces a field the answer carries; a missing or null field keeps the identity's. */
  private static boolean nonEmpty(@Nullable JsonNode n) {
    return n != null && !n.isNull();
  }
}
