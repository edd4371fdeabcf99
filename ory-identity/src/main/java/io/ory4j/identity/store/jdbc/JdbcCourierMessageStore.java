package io.ory4j.identity.store.jdbc;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.RowMapper;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PageToken;
import io.ory4j.identity.CourierMessage;
import io.ory4j.identity.spi.CourierMessageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A {@link CourierMessageStore} on table {@code ory4j_courier_messages} (migration V3 of module {@code identity}). */
public final class JdbcCourierMessageStore implements CourierMessageStore {

  private static final String COLUMNS = "id, type, status, recipient, subject, body, html_body, template_type, "
      + "send_count, identity_id, created_at, updated_at";
  private static final RowMapper<CourierMessage> MAPPER = r -> new CourierMessage(UUID.fromString(
      r.requireString("id")), r.requireString("type"), r.requireString("status"), r.requireString("recipient"),
      r.requireString("subject"), r.requireString("body"), r.requireString("template_type"), r.getInt("send_count"),
      r.requireInstant("created_at"), r.requireInstant("updated_at"), r.string("html_body"),
      r.string("identity_id") == null ? null : UUID.fromString(r.requireString("identity_id")));

  private final Jdbc jdbc;

  public JdbcCourierMessageStore(Jdbc jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  @Override
  public void enqueue(CourierMessage m) {
    jdbc.update("INSERT INTO ory4j_courier_messages (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        m.id().toString(), m.type(), m.status(), m.recipient(), m.subject(), m.body(), m.htmlBody(), m.templateType(),
        m.sendCount(), m.identityId() == null ? null : m.identityId().toString(), m.createdAt(), m.updatedAt());
  }

  @Override
  public Optional<CourierMessage> find(UUID id) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM ory4j_courier_messages WHERE id = ?", MAPPER, id.toString());
  }

  @Override
  public Page<CourierMessage> list(PageRequest page, @Nullable String status, @Nullable String recipient) {
    List<String> where = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    if (status != null) {
      where.add("status = ?");
      params.add(status);
    }
    if (recipient != null) {
      where.add("recipient = ?");
      params.add(recipient);
    }
    if (page.pageToken() != null) {
      where.add("id > ?");
      params.add(PageToken.decode(page.pageToken()));
    }
    String sql = "SELECT " + COLUMNS + " FROM ory4j_courier_messages" + (where.isEmpty() ? "" : " WHERE "
        + String.join(" AND ", where)) + " ORDER BY id LIMIT " + (page.pageSize() + 1);
    return Page.fromOverfetch(jdbc.query(sql, MAPPER, params.toArray()), page.pageSize(), m -> m.id().toString());
  }

  /** Each candidate is claimed by a conditional update, so two dispatchers never claim the same message. */
  @Override
  public List<CourierMessage> claimQueued(int limit, Instant now) {
    List<CourierMessage> candidates = jdbc.query("SELECT " + COLUMNS + " FROM ory4j_courier_messages WHERE status = ? "
        + "ORDER BY created_at, id LIMIT " + Math.max(1, limit), MAPPER, CourierMessage.QUEUED);
    List<CourierMessage> claimed = new ArrayList<>();
    for (CourierMessage m : candidates) {
      if (jdbc.update("UPDATE ory4j_courier_messages SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
          CourierMessage.PROCESSING, now, m.id().toString(), CourierMessage.QUEUED) == 1) {
        claimed.add(m.with(CourierMessage.PROCESSING, m.sendCount(), now));
      }
    }
    return claimed;
  }

  @Override
  public boolean update(CourierMessage m) {
    return jdbc.update("UPDATE ory4j_courier_messages SET status = ?, send_count = ?, updated_at = ? WHERE id = ?",
        m.status(), m.sendCount(), m.updatedAt(), m.id().toString()) > 0;
  }

  @Override
  public int deleteForIdentity(UUID identityId) {
    return jdbc.update("DELETE FROM ory4j_courier_messages WHERE identity_id = ?", identityId.toString());
  }
}
