package io.ory4j.identity;

import io.ory4j.core.error.OryError;
import io.ory4j.core.error.OryException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A self-service or admin request that Kratos answers with UI messages: the messages (with Kratos' ids) travel with
 * the Ory error, and flows render them into {@code ui.messages}.
 */
public final class IdentityException extends OryException {
  private static final long serialVersionUID = 1L;

  private final transient List<UiMessage> messages;
  private final transient Map<String, List<UiMessage>> fieldMessages;

  public IdentityException(int status, UiMessage message) {
    this(status, List.of(message), null);
  }

  public IdentityException(int status, List<UiMessage> messages, @Nullable Throwable cause) {
    this(status, messages, Map.of(), cause);
  }

  /**
   * Messages for the form ({@code ui.messages}) and for fields: {@code fieldMessages} maps a UI node name such as
   * {@code traits.email} to the messages shown on that node (a name no node has shows them on the form). At least
   * one message in all.
   */
  public IdentityException(int status, List<UiMessage> messages, Map<String, List<UiMessage>> fieldMessages,
      @Nullable Throwable cause) {
    super(OryError.of(status, first(messages, fieldMessages).text())
        .withId(String.valueOf(first(messages, fieldMessages).id())).withDetail("messages", all(messages,
            fieldMessages)), cause);
    this.messages = List.copyOf(messages);
    Map<String, List<UiMessage>> f = new LinkedHashMap<>();
    fieldMessages.forEach((k, v) -> f.put(k, List.copyOf(v)));
    this.fieldMessages = Collections.unmodifiableMap(f);
  }

  private static UiMessage first(List<UiMessage> messages, Map<String, List<UiMessage>> fieldMessages) {
    List<UiMessage> a = all(messages, fieldMessages);
    if (a.isEmpty()) {
      throw new IllegalArgumentException("at least one message");
    }
    return a.get(0);
  }

  private static List<UiMessage> all(List<UiMessage> messages, Map<String, List<UiMessage>> fieldMessages) {
    List<UiMessage> a = new ArrayList<>(messages);
    fieldMessages.values().forEach(a::addAll);
    return a;
  }

  /** The UI messages of the form. */
  public List<UiMessage> messages() {
    return messages;
  }

  /** Messages of single fields, by UI node name ({@code traits.email}); empty for most errors. */
  public Map<String, List<UiMessage>> fieldMessages() {
    return fieldMessages;
  }
}
