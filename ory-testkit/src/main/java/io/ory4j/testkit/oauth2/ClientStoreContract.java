package io.ory4j.testkit.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.storage.DuplicateException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.spi.ClientFilter;
import io.ory4j.oauth2.spi.ClientStore;
import io.ory4j.oauth2.spi.StoredClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of {@link ClientStore}. Extend it and implement {@link #newStore()} (a fresh, empty store). */
public abstract class ClientStoreContract {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  protected abstract ClientStore newStore();

  private static StoredClient client(String id) {
    return new StoredClient(OAuth2Client.builder().clientId(id).clientName("Client " + id)
        .redirectUris("https://app.example/cb").grantTypes("authorization_code", "refresh_token")
        .responseTypes("code").scope("openid offline").audience("https://api.example")
        .tokenEndpointAuthMethod("client_secret_basic").metadata(Map.of("tier", "gold", "n", 3))
        .createdAt(T0).updatedAt(T0).build(), List.of("$pbkdf2-sha256$hash-" + id), null);
  }

  @Test
  void findWhenCreatedThenEveryFieldRoundTrips() {
    ClientStore store = newStore();
    StoredClient c = client("c1");
    store.create(c);
    assertEquals(c, store.find(new ClientId("c1")).orElseThrow());
    assertTrue(store.find(new ClientId("other")).isEmpty());
  }

  @Test
  void createWhenIdTakenThenDuplicate() {
    ClientStore store = newStore();
    store.create(client("c1"));
    assertThrows(DuplicateException.class, () -> store.create(client("c1")));
  }

  @Test
  void updateWhenExistsThenReplacedElseFalse() {
    ClientStore store = newStore();
    store.create(client("c1"));
    StoredClient changed = new StoredClient(client("c1").client().toBuilder().clientName("renamed").build(),
        List.of("h2", "h1"), "v1.enc");
    assertTrue(store.update(changed));
    assertEquals(changed, store.find(new ClientId("c1")).orElseThrow());
    assertFalse(store.update(client("missing")));
  }

  @Test
  void findWhenMutualTlsFieldsSetOrUnsetThenTheyRoundTrip() {
    ClientStore store = newStore();
    StoredClient bound = new StoredClient(client("mtls").client().toBuilder().tokenEndpointAuthMethod("tls_client_auth")
        .tlsClientAuthSubjectDn("CN=client-a,O=Example").tlsClientCertificateBoundAccessTokens(true).build(),
        List.of(), null);
    store.create(bound);
    assertEquals(bound, store.find(new ClientId("mtls")).orElseThrow());
    StoredClient plain = client("plain");
    store.create(plain);
    assertEquals(plain, store.find(new ClientId("plain")).orElseThrow(), "unset fields are left out and read back");
    StoredClient san = new StoredClient(client("san").client().toBuilder().tokenEndpointAuthMethod("tls_client_auth")
        .tlsClientAuthSanDns("client-c.example").tlsClientAuthSanUri("https://client-c.example/app")
        .tlsClientAuthSanIp("10.0.0.3").tlsClientAuthSanEmail("c@client-c.example").build(), List.of(), null);
    store.create(san);
    assertEquals(san, store.find(new ClientId("san")).orElseThrow(), "the subjectAltName fields round-trip");
  }

  @Test
  void registrationTokenSignatureWhenSetThenRoundTripsAndUpdateReplacesIt() {
    ClientStore store = newStore();
    StoredClient dynamic = client("dyn").withRegistrationTokenSignature("sig-1");
    store.create(dynamic);
    assertEquals("sig-1", store.find(new ClientId("dyn")).orElseThrow().registrationTokenSignature());
    assertTrue(store.update(dynamic.withRegistrationTokenSignature("sig-2")));
    assertEquals("sig-2", store.find(new ClientId("dyn")).orElseThrow().registrationTokenSignature());
    assertEquals(List.of("sig-2"), store.list(PageRequest.first(10)).items().stream()
        .map(StoredClient::registrationTokenSignature).toList());
    store.create(client("admin"));
    assertEquals(null, store.find(new ClientId("admin")).orElseThrow().registrationTokenSignature());
  }

  @Test
  void deleteWhenExistsThenGone() {
    ClientStore store = newStore();
    store.create(client("c1"));
    assertTrue(store.delete(new ClientId("c1")));
    assertFalse(store.delete(new ClientId("c1")));
    assertTrue(store.find(new ClientId("c1")).isEmpty());
  }

  @Test
  void listWhenFilteredThenOnlyMatchingClients() {
    ClientStore store = newStore();
    for (String id : List.of("a", "b", "c", "d")) {
      StoredClient c = client(id);
      store.create(new StoredClient(c.client().toBuilder().owner(id.equals("b") || id.equals("d") ? "team" : "other")
          .clientName(id.equals("d") ? "special" : "plain").build(), c.secretHashes(), null));
    }
    assertEquals(List.of("b", "d"), store.list(PageRequest.first(10), new ClientFilter(null, "team")).items()
        .stream().map(c -> c.client().id().value()).toList());
    assertEquals(List.of("d"), store.list(PageRequest.first(10), new ClientFilter("special", "team")).items()
        .stream().map(c -> c.client().id().value()).toList());
    Page<StoredClient> first = store.list(PageRequest.first(1), new ClientFilter(null, "team"));
    assertEquals(List.of("d"), store.list(new PageRequest(1, first.next().orElseThrow()),
        new ClientFilter(null, "team")).items().stream().map(c -> c.client().id().value()).toList());
  }

  @Test
  void listWhenPagedThenEveryClientOnceInIdOrder() {
    ClientStore store = newStore();
    for (String id : List.of("e", "a", "d", "b", "c")) {
      store.create(client(id));
    }
    List<String> seen = new ArrayList<>();
    PageRequest req = PageRequest.first(2);
    int pages = 0;
    while (true) {
      Page<StoredClient> page = store.list(req);
      pages++;
      page.items().forEach(c -> seen.add(c.client().id().value()));
      if (page.next().isEmpty()) {
        break;
      }
      req = new PageRequest(2, page.next().get());
    }
    assertEquals(List.of("a", "b", "c", "d", "e"), seen);
    assertEquals(3, pages);
  }
}
