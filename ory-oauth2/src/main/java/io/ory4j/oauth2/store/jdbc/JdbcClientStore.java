package io.ory4j.oauth2.store.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.RowMapper;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PageToken;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.spi.ClientFilter;
import io.ory4j.oauth2.spi.ClientStore;
import io.ory4j.oauth2.spi.StoredClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ClientStore} on table {@code ory4j_oauth2_client} (migrations of module {@code oauth2}; V4 adds the
 * registration access token signature of dynamically registered clients).
 */
public final class JdbcClientStore implements ClientStore {

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private static final String SELECT = "SELECT data, secret_hashes, secret_enc, registration_token_signature "
      + "FROM ory4j_oauth2_client";

  private final Jdbc jdbc;
  private final OryJson json;
  private final RowMapper<StoredClient> mapper;

  public JdbcClientStore(Jdbc jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.json = OryJson.create();
    // read leniently: a row written before a client field existed (say the RFC 8705 ones, left out of the JSON when
    // unset) takes the field's default instead of failing the whole client
    this.mapper = r -> new StoredClient(io.ory4j.oauth2.internal.LenientJson.read(
        r.requireString("data").getBytes(StandardCharsets.UTF_8), OAuth2Client.class),
        json.read(r.requireString("secret_hashes").getBytes(StandardCharsets.UTF_8), STRINGS), r.string("secret_enc"),
        r.string("registration_token_signature"));
  }

  @Override
  public void create(StoredClient c) {
    jdbc.update("INSERT INTO ory4j_oauth2_client (id, client_name, owner, data, secret_hashes, secret_enc, "
        + "registration_token_signature, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", c.client().id().value(),
        c.client().clientName(), c.client().owner(), json.write(c.client()), json.write(c.secretHashes()),
        c.encryptedSecret(), c.registrationTokenSignature(),
        Objects.requireNonNullElse(c.client().createdAt(), java.time.Instant.EPOCH));
  }

  @Override
  public Optional<StoredClient> find(ClientId id) {
    return jdbc.queryOne(SELECT + " WHERE id = ?", mapper, id.value());
  }

  @Override
  public boolean update(StoredClient c) {
    return jdbc.update("UPDATE ory4j_oauth2_client SET client_name = ?, owner = ?, data = ?, secret_hashes = ?, "
        + "secret_enc = ?, registration_token_signature = ? WHERE id = ?", c.client().clientName(), c.client().owner(),
        json.write(c.client()), json.write(c.secretHashes()), c.encryptedSecret(), c.registrationTokenSignature(),
        c.client().id().value()) > 0;
  }

  @Override
  public boolean delete(ClientId id) {
    return jdbc.update("DELETE FROM ory4j_oauth2_client WHERE id = ?", id.value()) > 0;
  }

  @Override
  public Page<StoredClient> list(PageRequest page, ClientFilter filter) {
    StringBuilder sql = new StringBuilder(SELECT + " WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (page.pageToken() != null) {
      sql.append(" AND id > ?");
      params.add(PageToken.decode(page.pageToken()));
    }
    if (filter.clientName() != null) {
      sql.append(" AND client_name = ?");
      params.add(filter.clientName());
    }
    if (filter.owner() != null) {
      sql.append(" AND owner = ?");
      params.add(filter.owner());
    }
    sql.append(" ORDER BY id LIMIT ?");
    params.add(page.pageSize() + 1);
    List<StoredClient> rows = jdbc.query(sql.toString(), mapper, params.toArray());
    return Page.fromOverfetch(rows, page.pageSize(), c -> c.client().id().value());
  }
}
