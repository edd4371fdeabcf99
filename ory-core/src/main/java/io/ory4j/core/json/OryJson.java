package io.ory4j.core.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ory4j.core.error.OryException;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Creates and wraps the configured Jackson {@link ObjectMapper} that every ory4j module uses.
 *
 * <p>There is no global mapper: a service builds one {@code OryJson} (or takes one injected) and keeps it. Instants are
 * written as ISO-8601 strings (as Ory's Go servers write {@code time.Time}), absent optional values are omitted, and
 * unknown properties are ignored unless {@link #strict()} is used. Parse errors become a 400 {@link OryException}
 * that names the JSON path and the problem, never a stack trace.
 */
public final class OryJson {

  private final ObjectMapper mapper;

  private OryJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The default mapper: lenient about unknown properties, as Ory's servers are. */
  public static OryJson create() {
    return new OryJson(baseBuilder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build());
  }

  /** A mapper that refuses unknown properties (for configuration files and rule files). */
  public static OryJson strict() {
    return new OryJson(baseBuilder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build());
  }

  /** A new {@link JsonMapper.Builder} with ory4j's settings, for callers that need their own variation. */
  public static JsonMapper.Builder baseBuilder() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
        .serializationInclusion(JsonInclude.Include.NON_ABSENT);
  }

  /** The underlying mapper. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** Reads {@code json} as {@code type}; malformed input becomes a 400 error naming the path. */
  public <T> T read(byte[] json, Class<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /** Reads {@code json} as {@code type}; malformed input becomes a 400 error naming the path. */
  public <T> T read(String json, Class<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /** Reads {@code json} as a generic {@code type}; malformed input becomes a 400 error naming the path. */
  public <T> T read(byte[] json, TypeReference<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /** Reads a JSON tree; malformed input becomes a 400 error. */
  public JsonNode readTree(byte[] json) {
    try {
      JsonNode node = mapper.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw OryException.badRequest("The request body must be a JSON document, but it was empty.");
      }
      return node;
    } catch (IOException e) {
      throw malformed(e);
    }
  }

  /** Reads a JSON tree; malformed input becomes a 400 error. */
  public JsonNode readTree(String json) {
    return readTree(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Converts a tree to a type; a type mismatch becomes a 400 error naming the path. */
  public <T> T convert(JsonNode node, Class<T> type) {
    try {
      return mapper.treeToValue(node, type);
    } catch (IOException | IllegalArgumentException e) {
      throw malformed(e);
    }
  }

  /** Writes {@code value} as JSON bytes. */
  public byte[] writeBytes(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialize " + value.getClass().getName(), e);
    }
  }

  /** Writes {@code value} as a JSON string. */
  public String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialize " + value.getClass().getName(), e);
    }
  }

  /** Converts a value to a tree. */
  public JsonNode toTree(Object value) {
    return mapper.valueToTree(value);
  }

  /** A new empty object node. */
  public ObjectNode object() {
    return mapper.createObjectNode();
  }

  /** Turns a Jackson failure into a 400 Ory error with a message a client can act on. */
  public static OryException malformed(Exception e) {
    String message;
    if (e instanceof UnrecognizedPropertyException u) {
      message = "The JSON document has an unknown property \"" + u.getPropertyName() + "\" at " + path(u) + ".";
    } else if (e instanceof InvalidFormatException f) {
      message = "The JSON value at " + path(f) + " has the wrong format: expected " + f.getTargetType().getSimpleName()
          + ".";
    } else if (e instanceof MismatchedInputException m) {
      message = "The JSON value at " + path(m) + " has the wrong type"
          + (m.getTargetType() == null ? "." : ": expected " + m.getTargetType().getSimpleName() + ".");
    } else if (e instanceof JsonProcessingException p) {
      String original = p.getOriginalMessage();
      message = "The request body is not valid JSON: " + (original == null ? "syntax error" : original)
          + (p.getLocation() == null ? "" : " (line " + p.getLocation().getLineNr() + ", column "
              + p.getLocation().getColumnNr() + ")")
          + ".";
    } else if (e.getCause() instanceof Exception cause && cause != e) {
      return malformed(cause);
    } else {
      message = "The request body is not valid JSON.";
    }
    return OryException.badRequest(message).withReason("malformed JSON").withCause(e);
  }

  private static String path(MismatchedInputException e) {
    String p = e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "/" + r.getFieldName() : "/" + r.getIndex())
        .collect(Collectors.joining());
    return p.isEmpty() ? "the root" : "\"" + p + "\"";
  }
}
