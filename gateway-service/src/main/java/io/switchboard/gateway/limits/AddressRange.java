package io.switchboard.gateway.limits;

import io.netty.util.NetUtil;

/**
 * AddressRange is one IP address or CIDR range, IPv4 or IPv6, such as {@code 10.0.0.7} or
 * {@code 172.16.0.0/12}. An IPv4 address written as IPv6 ({@code ::ffff:10.0.0.7}) is the IPv4
 * address.
 */
final class AddressRange {

  private final byte[] network;
  private final int prefix;

  private AddressRange(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /** The range {@code text} denotes, or null when it is not an address or a range. */
  static AddressRange parse(String text) {
    int slash = text.indexOf('/');
    byte[] address = bytes(slash < 0 ? text : text.substring(0, slash));
    if (address == null) {
      return null;
    }
    int bits = address.length * 8;
    if (slash < 0) {
      return new AddressRange(address, bits);
    }
    try {
      int prefix = Integer.parseInt(text.substring(slash + 1));
      return prefix < 0 || prefix > bits ? null : new AddressRange(address, prefix);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A single address. */
  static AddressRange of(byte[] address) {
    return new AddressRange(address, address.length * 8);
  }

  /**
   * The bytes of an IP address literal, 4 for IPv4 (IPv4-mapped IPv6 included) and 16 for IPv6;
   * null for anything else. Never asks DNS.
   */
  static byte[] bytes(String literal) {
    if (literal == null || literal.isEmpty()) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
    if (bytes != null && bytes.length == 16 && isIpv4Mapped(bytes)) {
      return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
    }
    return bytes;
  }

  /** The usual text of an address given as {@link #bytes}. */
  static String text(byte[] address) {
    return NetUtil.bytesToIpAddress(address);
  }

  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[whole] & mask) == (network[whole] & mask);
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }
}
