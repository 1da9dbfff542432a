package io.switchboard.gateway.limits;

import io.switchboard.common.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TrustedProxies are the proxies whose {@code X-Forwarded-For} the gateway believes
 * ({@code TRUSTED_PROXIES}): addresses, CIDR ranges, and host names such as a compose service,
 * whose addresses change when its container is replaced and are therefore asked of DNS again every
 * {@code TRUSTED_PROXIES_REFRESH_MS}. A name that cannot be resolved keeps the addresses it had.
 *
 * <p>Safe to read from any thread.
 */
public final class TrustedProxies {

  private static final Logger LOG = LoggerFactory.getLogger(TrustedProxies.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

  private final List<AddressRange> ranges = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final ConcurrentHashMap<String, List<AddressRange>> resolved = new ConcurrentHashMap<>();

  private TrustedProxies(List<String> entries) {
    for (String entry : entries) {
      AddressRange range = AddressRange.parse(entry);
      if (range != null) {
        ranges.add(range);
      } else {
        names.add(entry);
        resolved.put(entry, List.of());
      }
    }
  }

  /** Stops the process at start-up, naming {@code variable}, on an entry that is none of the three. */
  static void check(String variable, List<String> entries) {
    for (String entry : entries) {
      if (AddressRange.parse(entry) == null && (entry.contains("/") || !NAME.matcher(entry).matches())) {
        throw new ConfigException(variable, "comma-separated IP addresses, CIDR ranges or host names",
            entry);
      }
    }
  }

  public static TrustedProxies of(List<String> entries) {
    return new TrustedProxies(entries);
  }

  public boolean isEmpty() {
    return ranges.isEmpty() && names.isEmpty();
  }

  /** Whether the address ({@link AddressRange#bytes}) is one of the trusted proxies. */
  boolean trusts(byte[] address) {
    for (AddressRange range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    for (List<AddressRange> addresses : resolved.values()) {
      for (AddressRange range : addresses) {
        if (range.contains(address)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Resolves the names now and every {@code period} from the caller's context, asking DNS directly
   * (no cache), then the JVM's resolver for names DNS does not know ({@code /etc/hosts}). Returns
   * what stops it.
   */
  public Runnable watchNames(Vertx vertx, Duration period) {
    if (names.isEmpty()) {
      return () -> { };
    }
    DnsClient dns = vertx.createDnsClient();
    resolveAll(vertx, dns);
    long timer = vertx.setPeriodic(period.toMillis(), id -> resolveAll(vertx, dns));
    return () -> {
      vertx.cancelTimer(timer);
      dns.close();
    };
  }

  private void resolveAll(Vertx vertx, DnsClient dns) {
    for (String name : names) {
      dns.resolveA(name)
          .compose(found -> found.isEmpty() ? Future.failedFuture("no A record") : Future.succeededFuture(found))
          .recover(notInDns -> vertx.executeBlocking(() -> addressesOf(name), false))
          .onSuccess(found -> update(name, found))
          .onFailure(err -> LOG.debug("Trusted proxy {} not resolved: {}", name, err.toString()));
    }
  }

  private static List<String> addressesOf(String name) throws Exception {
    List<String> out = new ArrayList<>();
    for (InetAddress address : InetAddress.getAllByName(name)) {
      out.add(address.getHostAddress());
    }
    return out;
  }

  private void update(String name, List<String> addresses) {
    List<AddressRange> ranges = new ArrayList<>();
    for (String address : addresses) {
      byte[] bytes = AddressRange.bytes(address);
      if (bytes != null) {
        ranges.add(AddressRange.of(bytes));
      }
    }
    List<AddressRange> before = resolved.put(name, List.copyOf(ranges));
    if (before == null || before.size() != ranges.size()) {
      LOG.info("Trusted proxy {} is at {}", name, addresses);
    }
  }
}
