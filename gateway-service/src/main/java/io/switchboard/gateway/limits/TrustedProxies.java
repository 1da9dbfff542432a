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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TrustedProxies are the proxies whose {@code X-Forwarded-For} the gateway believes
 * ({@code TRUSTED_PROXIES}): addresses, CIDR ranges, and host names such as a compose service,
 * whose addresses change when its container is replaced and are therefore asked of DNS again
 * {@code TRUSTED_PROXIES_REFRESH_MS} after each lookup. A name that cannot be resolved keeps the
 * addresses it had.
 *
 * <p>Safe to read from any thread.
 */
public final class TrustedProxies {

  private static final Logger LOG = LoggerFactory.getLogger(TrustedProxies.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

  private final List<AddressRange> ranges = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final ConcurrentHashMap<String, List<AddressRange>> resolved = new ConcurrentHashMap<>();
  /** The addresses last logged for each name. */
  private final ConcurrentHashMap<String, List<String>> known = new ConcurrentHashMap<>();

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
   * Resolves the names now and {@code period} after each round, from the caller's context, asking
   * DNS directly (no cache), then the JVM's resolver for names DNS does not know
   * ({@code /etc/hosts}). Returns what stops it.
   */
  public Runnable watchNames(Vertx vertx, Duration period) {
    if (names.isEmpty()) {
      return () -> { };
    }
    DnsClient dns = vertx.createDnsClient();
    AtomicBoolean stopped = new AtomicBoolean();
    AtomicLong timer = new AtomicLong(-1);
    Runnable[] round = new Runnable[1];
    round[0] = () -> resolveAll(vertx, dns).onComplete(done -> {
      if (!stopped.get()) {
        timer.set(vertx.setTimer(period.toMillis(), id -> round[0].run()));
      }
    });
    round[0].run();
    return () -> {
      stopped.set(true);
      vertx.cancelTimer(timer.get());
      dns.close();
    };
  }

  /** Resolves every name; completes when each has an answer or has failed. */
  private Future<Void> resolveAll(Vertx vertx, DnsClient dns) {
    List<Future<?>> lookups = new ArrayList<>();
    for (String name : names) {
      lookups.add(dns.resolveA(name)
          .compose(found -> found.isEmpty() ? Future.failedFuture("no A record") : Future.succeededFuture(found))
          .recover(notInDns -> vertx.executeBlocking(() -> addressesOf(name), false))
          .onSuccess(found -> update(name, found))
          .onFailure(err -> LOG.debug("Trusted proxy {} not resolved: {}", name, err.toString())));
    }
    return Future.join(lookups).mapEmpty();
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
    List<String> now = addresses.stream().sorted().toList();
    if (!now.equals(known.put(name, now))) {
      LOG.info("Trusted proxy {} is at {}", name, now);
    }
    resolved.put(name, List.copyOf(ranges));
  }
}
