package io.ory4j.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ory4j.core.error.OryException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaginationTest {

  @Test
  void parseWhenAbsentThenDefaultsAndWhenTooLargeThenClamped() {
    assertEquals(PageRequest.DEFAULT_SIZE, PageRequest.parse(null, null).pageSize());
    assertEquals(PageRequest.MAX_SIZE, PageRequest.parse("100000", null).pageSize());
    assertNull(PageRequest.parse("5", "").pageToken());
  }

  @Test
  void parseWhenNotANumberOrZeroThen400NamingPageSize() {
    OryException e = assertThrows(OryException.class, () -> PageRequest.parse("ten", null));
    assertEquals(400, e.status());
    assertEquals("page_size", e.error().details().get("field"));
    assertThrows(OryException.class, () -> PageRequest.parse("0", null));
  }

  @Test
  void fromOverfetchWhenMoreThanPageThenTokenOfLastItem() {
    Page<String> p = Page.fromOverfetch(List.of("a", "b", "c"), 2, s -> s);
    assertEquals(List.of("a", "b"), p.items());
    assertEquals("b", PageToken.decode(p.nextPageToken()));
    assertNull(Page.fromOverfetch(List.of("a", "b"), 2, s -> s).nextPageToken());
  }

  @Test
  void decodeWhenGarbageThen400() {
    assertThrows(OryException.class, () -> PageToken.decode("!!!"));
  }

  @Test
  void linkHeaderWhenNextPageThenFirstAndNextKeepingFilters() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("client_name", "a b");
    q.put("page_token", "ignored");
    String link = PaginationLinks.linkHeader("/admin/clients", q, 2, new Page<>(List.of("x"), "tok"));
    assertEquals("</admin/clients?client_name=a+b&page_size=2>; rel=\"first\","
        + "</admin/clients?client_name=a+b&page_size=2&page_token=tok>; rel=\"next\"", link);
  }
}
