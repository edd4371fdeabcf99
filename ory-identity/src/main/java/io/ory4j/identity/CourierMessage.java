package io.ory4j.identity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A message of Kratos' courier, with Kratos' JSON ({@code GET /admin/courier/messages}).
 *
 * @param id the message id
 * @param type {@code email}
 * @param status {@code queued}, {@code processing}, {@code sent} or {@code abandoned}
 * @param recipient the address
 * @param subject the subject
 * @param body the plain-text body
 * @param templateType Kratos' template type, such as {@code verification_code_valid}
 * @param sendCount how many times sending was tried
 * @param createdAt when it was queued
 * @param updatedAt when it last changed
 * @param htmlBody the HTML body (not in the JSON)
 * @param identityId the identity it was sent for, if known (not in the JSON; deleting an identity deletes its
 *     messages)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CourierMessage(
    @JsonProperty("id") UUID id,
    @JsonProperty("type") String type,
    @JsonProperty("status") String status,
    @JsonProperty("recipient") String recipient,
    @JsonProperty("subject") String subject,
    @JsonProperty("body") String body,
    @JsonProperty("template_type") String templateType,
    @JsonProperty("send_count") int sendCount,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt,
    @JsonIgnore @Nullable String htmlBody,
    @JsonIgnore @Nullable UUID identityId) {

  public static final String QUEUED = "queued";
  public static final String PROCESSING = "processing";
  public static final String SENT = "sent";
  public static final String ABANDONED = "abandoned";
  /** Kratos' message statuses. */
  public static final Set<String> STATUSES = Set.of(QUEUED, PROCESSING, SENT, ABANDONED);

  public CourierMessage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("status must be queued, processing, sent or abandoned");
    }
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(templateType, "templateType");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The same message with another status and send count, changed at {@code at}. */
  public CourierMessage with(String newStatus, int newSendCount, Instant at) {
    return new CourierMessage(id, type, newStatus, recipient, subject, body, templateType, newSendCount, createdAt, at,
        htmlBody, identityId);
  }
}
