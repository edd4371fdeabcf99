package io.ory4j.accessrules.internal;

import io.ory4j.accessrules.spi.HandlerConfig;
import io.ory4j.core.error.HttpStatusText;
import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An error handler's {@code when}: Oathkeeper's conditions on the error kind ({@code unauthorized},
 * {@code forbidden}, {@code not_found}, {@code internal_server_error}...), the request's {@code Content-Type} and
 * {@code Accept}, and the client's IP (CIDR, optionally from {@code X-Forwarded-For}). No condition: always.
 */
public final class When {

  private record Condition(List<String> errors, List<String> contentTypes, List<String> accepts,
      List<byte[][]> cidrs, boolean forwardedFor, List<byte[][]> schemaCidrs) {}

  private final List<Condition> conditions;

  private When(List<Condition> conditions) {
    this.conditions = conditions;
  }

  /** Parses {@code when} from a handler config. */
  public static When parse(HandlerConfig c) {
    if (!c.has("when")) {
      return new When(List.of());
    }
    if (!c.get("when").isArray()) {
      throw c.invalid("when", "must be an array of conditions");
    }
    List<Condition> out = new ArrayList<>();
    for (int i = 0; i < c.get("when").size(); i++) {
      var node = c.get("when").get(i);
      if (!node.isObject()) {
        throw c.invalid("when[" + i + "]", "must be an object");
      }
      HandlerConfig w = new HandlerConfig((com.fasterxml.jackson.databind.node.ObjectNode) node, c.services());
      HandlerConfig req = w.object("request");
      HandlerConfig header = req.object("header");
      HandlerConfig ip = req.object("remote_ip");
      List<byte[][]> cidrs = new ArrayList<>();
      for (String cidr : ip.strings("match")) {
        cidrs.add(parseCidr(c, "when[" + i + "].request.remote_ip.match", cidr));
      }
      List<byte[][]> schemaCidrs = new ArrayList<>();
      for (String cidr : req.strings("cidr")) {
        schemaCidrs.add(parseCidr(c, "when[" + i + "].request.cidr", cidr));
      }
      out.add(new Condition(w.strings("error"), header.strings("content_type"), header.strings("accept"), cidrs,
          ip.bool("respect_forwarded_for_header", false), schemaCidrs));
    }
    return new When(List.copyOf(out));
  }

  /** The error kind Oathkeeper matches: the status text, lower-case, spaces as underscores. */
  public static String kind(int status) {
    return HttpStatusText.of(status).toLowerCase(Locale.ROOT).replace(' ', '_').replace("'", "");
  }

  /** Whether the handler is responsible for this error on this request. */
  public boolean matches(OryException error, HttpRequest r) {
    if (conditions.isEmpty()) {
      return true;
    }
    String kind = kind(error.status());
    for (Condition c : conditions) {
      if (!c.errors().isEmpty() && !c.errors().contains(kind)) {
        continue;
      }
      if (matchesRequest(c, r)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesRequest(Condition c, HttpRequest r) {
    if (!c.contentTypes().isEmpty()) {
      String ct = r.header("Content-Type").orElse("application/octet-stream");
      if (!mimeMatches(ct, c.contentTypes())) {
        return false;
      }
    }
    if (!c.accepts().isEmpty()) {
      String accept = r.header("Accept").orElse("application/octet-stream");
      if (!mimeMatches(accept, c.accepts())) {
        return false;
      }
    }
    // the config schema's request.cidr: the remote address and X-Forwarded-For; remote_ip.match (Oathkeeper's
    // code): X-Forwarded-For only with respect_forwarded_for_header. Both given: both must match.
    if (!c.schemaCidrs().isEmpty() && !anyInCidr(clientIps(r, true), c.schemaCidrs())) {
      return false;
    }
    return c.cidrs().isEmpty() || anyInCidr(clientIps(r, c.forwardedFor()), c.cidrs());
  }

  private static List<String> clientIps(HttpRequest r, boolean forwardedFor) {
    List<String> ips = new ArrayList<>();
    ips.add(r.remoteAddress());
    if (forwardedFor) {
      for (String f : r.header("X-Forwarded-For").orElse("").split(",")) {
        if (!f.isBlank()) {
          ips.add(f.trim());
        }
      }
    }
    return ips;
  }

  private static boolean anyInCidr(List<String> ips, List<byte[][]> cidrs) {
    for (byte[][] cidr : cidrs) {
      for (String ip : ips) {
        if (inCidr(ip, cidr)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Oathkeeper's matchesAcceptMIME: wildcards in the handler's list match, exact values match. */
  static boolean mimeMatches(String header, List<String> handler) {
    for (String actual : header.split(",")) {
      String a = actual.split(";")[0].trim().toLowerCase(Locale.ROOT);
      for (String m0 : handler) {
        String m = m0.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (m.equals("*/*") || a.equals(m)
            || (m.endsWith("/*") && m.substring(0, m.length() - 2).equals(a.split("/")[0]))) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[][] parseCidr(HandlerConfig c, String field, String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw c.invalid(field, "is not a CIDR range: " + cidr);
    }
    try {
      byte[] addr = literalAddress(cidr.substring(0, slash));
      int bits = Integer.parseInt(cidr.substring(slash + 1));
      if (bits < 0 || bits > addr.length * 8) {
        throw c.invalid(field, "has a bad prefix length: " + cidr);
      }
      return new byte[][] {addr, {(byte) bits}, new byte[] {(byte) (bits >> 8)}};
    } catch (NumberFormatException | UnknownHostException e) {
      throw c.invalid(field, "is not a CIDR range: " + cidr);
    }
  }

  private static byte[] literalAddress(String s) throws UnknownHostException {
    if (!s.matches("[0-9a-fA-F:.]+")) {
      throw new UnknownHostException(s);
    }
    return InetAddress.getByName(s).getAddress();
  }

  private static boolean inCidr(String ip, byte[][] cidr) {
    byte[] a;
    try {
      a = literalAddress(ip);
    } catch (UnknownHostException e) {
      return false;
    }
    byte[] net = cidr[0];
    int bits = (cidr[1][0] & 0xff) | ((cidr[2][0] & 0xff) << 8);
    if (a.length != net.length) {
      return false;
    }
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >> (i % 8);
      if ((a[i / 8] & mask) != (net[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }
}
