package io.ory4j.identity.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.identity.OidcProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Claims to traits: a Kratos Jsonnet mapper ({@code mapper_url}) run by {@link JsonnetSubset}, or the provider's
 * JSON-pointer mapping. Kratos' mappers start {@code local claims = std.extVar('claims');} and return
 * {@code {identity: {traits: {...}}}}; that opening is read as the subset's {@code function(claims)}. Not API.
 */
public final class OidcMapper {

  private static final Pattern KRATOS_PRELUDE = Pattern.compile(
      "^\\s*local\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*std\\.extVar\\(\\s*(['\"])claims\\2\\s*\\)\\s*;", Pattern.DOTALL);

  private final OidcProvider provider;
  private final @Nullable JsonnetSubset mapper;

  private OidcMapper(OidcProvider provider, @Nullable JsonnetSubset mapper) {
    this.provider = provider;
    this.mapper = mapper;
  }

  /**
   * The provider's mapper, its Jsonnet read now.
   *
   * @throws IllegalArgumentException naming the key when the mapper cannot be read or is outside the subset
   */
  public static OidcMapper of(OidcProvider p) {
    if (p.mapperUrl() == null) {
      return new OidcMapper(p, null);
    }
    String key = "selfservice.methods.oidc.config.providers[" + p.id() + "].mapper_url";
    String source;
    String url = p.mapperUrl().toString();
    try {
      if (url.startsWith("base64://")) {
        source = new String(Base64.getDecoder().decode(url.substring(9)), StandardCharsets.UTF_8);
      } else if (url.startsWith("file://")) {
        source = Files.readString(Path.of(p.mapperUrl()));
      } else {
        throw new IllegalArgumentException(key + ": only file:// and base64:// URLs are supported, was " + url);
      }
    } catch (IOException | IllegalArgumentException e) {
      throw e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith(key)
          ? iae : new IllegalArgumentException(key + ": cannot read the mapper: " + e.getMessage(), e);
    }
    return new OidcMapper(p, parse(source, key));
  }

  /** Parses a Kratos mapper ({@code local claims = std.extVar('claims'); ...}) or a {@code function(claims) ...}. */
  static JsonnetSubset parse(String source, String key) {
    String stripped = source.replaceAll("(?m)^\\s*(//|#).*$", "");
    Matcher m = KRATOS_PRELUDE.matcher(stripped);
    String fn = m.find() ? "function(" + m.group(1) + ") " + stripped.substring(m.end()) : stripped;
    try {
      return JsonnetSubset.parse(fn);
    } catch (JsonnetSubset.SyntaxError e) {
      throw new IllegalArgumentException(key + ": the mapper is outside the supported Jsonnet subset: "
          + e.getMessage(), e);
    }
  }

  /**
   * The traits for {@code claims}.
   *
   * @throws IllegalArgumentException when the mapper fails or gives no {@code identity.traits} object
   */
  public JsonNode traits(JsonNode claims) {
    if (mapper != null) {
      JsonNode out;
      try {
        out = mapper.evaluate(claims);
      } catch (JsonnetSubset.EvaluationError e) {
        throw new IllegalArgumentException("The claims mapper of provider \"" + provider.id() + "\" failed: "
            + e.getMessage(), e);
      }
      JsonNode traits = out.path("identity").path("traits");
      if (!traits.isObject()) {
        throw new IllegalArgumentException("The claims mapper of provider \"" + provider.id() + "\" returned no "
            + "identity.traits object.");
      }
      return traits;
    }
    ObjectNode traits = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, String> e : provider.claimsToTraits().entrySet()) {
      JsonNode v = claims.at(e.getValue());
      if (v.isMissingNode() || v.isNull()) {
        continue;
      }
      String[] parts = e.getKey().substring(1).split("/");
      ObjectNode at = traits;
      for (int i = 0; i < parts.length - 1; i++) {
        String name = unescape(parts[i]);
        at = at.path(name).isObject() ? (ObjectNode) at.get(name) : at.putObject(name);
      }
      at.set(unescape(parts[parts.length - 1]), v.deepCopy());
    }
    return traits;
  }

  private static String unescape(String pointerPart) {
    return pointerPart.replace("~1", "/").replace("~0", "~");
  }
}
