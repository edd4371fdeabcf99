package io.ory4j.identity;

import io.ory4j.core.error.OryError;
import io.ory4j.core.error.OryException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A self-service or admin request that Kratos answers with UI messages: the messages (with Kratos' ids) travel with
 * the Ory error, and flows render them into {@code ui.messages}.
 */
public final class IdentityException extends OryException {
  private static final long serialVersionUID = 1L;

  private final transient List<UiMessage> messages;

  public IdentityException(int status, UiMessage message) {
    this(status, List.of(message), null);
  }

  public IdentityException(int status, List<UiMessage> messages, @Nullable Throwable cause) {
    super(OryError.of(status, messages.get(0).text()).withId(String.valueOf(messages.get(0).id()))
        .withDetail("messages", messages), cause);
    this.messages = List.copyOf(messages);
  }

  /** The UI messages. */
  public List<UiMessage> messages() {
    return messages;
  }
}
