package io.ory4j.policy.acp.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * IP and CIDR parsing as Go's {@code net} package does it, without ever resolving a name: dotted IPv4 (no leading
 * zeros), IPv6 text (IPv4-mapped addresses become IPv4, as Go's {@code To4}); no zones, no brackets.
 */
public final class IpAddresses {

  private IpAddresses() {}

  /** A network: address bytes (4 or 16) and prefix length. */
  public record Network(byte[] address, int prefix) {

    /** Whether {@code ip} (4 or 16 bytes) is inside, with Go's IPv4-in-IPv6 rules. */
    public boolean contains(byte[] ip) {
      byte[] net = address;
      int bits = prefix;
      if (net.length == 16 && isV4Mapped(net)) {
        net = tail4(net);
        bits = Math.max(0, bits - 96);
      }
      byte[] a = ip.length == 16 && isV4Mapped(ip) ? tail4(ip) : ip;
      if (a.length != net.length) {
        return false;
      }
      for (int i = 0; i < a.length; i++) {
        int maskBits = Math.max(0, Math.min(8, bits - 8 * i));
        int mask = maskBits == 0 ? 0 : (0xff << (8 - maskBits)) & 0xff;
        if ((a[i] & mask) != (net[i] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Parses {@code a.b.c.d/n} or {@code ipv6/n}; null when malformed. */
  public static @Nullable Network parseCidr(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return null;
    }
    byte[] ip = parseIp(cidr.substring(0, slash));
    String bits = cidr.substring(slash + 1);
    if (ip == null || bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)
        || (bits.length() > 1 && bits.charAt(0) == '0')) {
      return null;
    }
    int n = Integer.parseInt(bits);
    boolean v4Text = cidr.substring(0, slash).indexOf(':') < 0;
    int max = v4Text ? 32 : 128;
    if (n > max) {
      return null;
    }
    if (!v4Text && ip.length == 4) {
      // IPv4-mapped IPv6 text: keep the 16-byte form so the prefix counts 128 bits, as Go does
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(ip, 0, mapped, 12, 4);
      ip = mapped;
    }
    return new Network(ip, n);
  }

  /** Parses an IPv4 or IPv6 address; null when malformed. */
  public static byte @Nullable [] parseIp(String s) {
    if (s.isEmpty()) {
      return null;
    }
    if (s.indexOf(':') < 0) {
      return parseV4(s);
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0) || c > 0x7f) {
        return null;
      }
    }
    int dot = s.indexOf('.');
    if (dot >= 0 && parseV4(s.substring(s.lastIndexOf(':') + 1)) == null) {
      return null;
    }
    try {
      // a literal made of hex digits, colons and dots is parsed, never resolved
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }

  private static byte @Nullable [] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return null;
      }
      for (int j = 0; j < p.length(); j++) {
        if (p.charAt(j) < '0' || p.charAt(j) > '9') {
          return null;
        }
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static boolean isV4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  private static byte[] tail4(byte[] a) {
    return new byte[] {a[12], a[13], a[14], a[15]};
  }
}
