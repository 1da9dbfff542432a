package io.switchboard.gateway.transport;

import io.switchboard.gateway.auth.Grants;
import io.switchboard.gateway.auth.RequestGrants;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * AccessLog writes one line per HTTP request at INFO under the logger {@value #LOGGER}
 * ({@code ACCESS_LOG=true}): method, path, status, bytes of the response body, duration, client
 * address, user agent and the user of a token, also as the key-value pairs {@code method},
 * {@code path}, {@code status}, {@code bytes}, {@code durationMs}, {@code client}, {@code userAgent}
 * and {@code user} (the last three left out when unknown, and {@code -} in the text).
 *
 * <p>A request's line is written when its response ends or its connection closes, so a stream's
 * comes when the stream ends and says how long it lasted; a request whose connection closed before
 * it was answered is written with the status {@value #CLOSED_UNANSWERED}. A WebSocket upgrade's is
 * written when the gateway answers {@code 101} ({@link #upgraded(RoutingContext)}), or as any other
 * request's when it is refused.
 *
 * <p>It never writes a credential. Tokens and API keys come in the {@code Authorization} and
 * {@code X-API-Key} headers and the {@code token} query parameter, which a page's URL may carry too
 * and its requests' {@code Referer} repeat: the path is written without its query string, and no
 * header is written but the user agent.
 */
public final class AccessLog implements Handler<RoutingContext> {

  public static final String LOGGER = "io.switchboard.access";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final String KEY = "switchboard.access";
  /** Longest path and user agent written; a client chooses both. */
  static final int MAX_TEXT = 256;
  /**
   * The status written for a request whose connection closed before any answer was sent, as
   * nginx writes it: the client left (a body cut short, a request given up) or its connection died.
   */
  static final int CLOSED_UNANSWERED = 499;

  private final Function<RoutingContext, String> clientAddress;

  /** @param clientAddress the client's address, behind the trusted proxies */
  public AccessLog(Function<RoutingContext, String> clientAddress) {
    this.clientAddress = clientAddress;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Entry entry = new Entry(System.nanoTime());
    ctx.put(KEY, entry);
    ctx.addEndHandler(ended -> entry.write(ctx,
        ctx.response().headWritten() ? ctx.response().getStatusCode() : CLOSED_UNANSWERED,
        ctx.response().bytesWritten()));
    ctx.next();
  }

  /** Writes the line of a request the gateway answered {@code 101}; nothing when the log is off. */
  public static void upgraded(RoutingContext ctx) {
    Entry entry = ctx.get(KEY);
    if (entry != null) {
      entry.write(ctx, 101, 0);
    }
  }

  /** One request's line, written once. Used from the request's event loop only. */
  private final class Entry {

    private final long started;
    private boolean written;

    Entry(long started) {
      this.started = started;
    }

    void write(RoutingContext ctx, int status, long bytes) {
      if (written || !LOG.isInfoEnabled()) {
        return;
      }
      written = true;
      HttpServerRequest request = ctx.request();
      String method = request.method().name();
      String path = clip(request.path());
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      String client = clientAddress.apply(ctx);
      String agent = clip(request.getHeader("User-Agent"));
      String user = userOf(ctx);
      LoggingEventBuilder line = LOG.atInfo()
          .addKeyValue("method", method)
          .addKeyValue("path", path)
          .addKeyValue("status", status)
          .addKeyValue("bytes", bytes)
          .addKeyValue("durationMs", millis);
      if (client != null) {
        line.addKeyValue("client", client);
      }
      if (agent != null) {
        line.addKeyValue("userAgent", agent);
      }
      if (user != null) {
        line.addKeyValue("user", user);
      }
      line.log("{} {} {} {} bytes {} ms {} \"{}\" {}", method, path, status, bytes, millis,
          client == null ? "-" : client, agent == null ? "-" : agent, user == null ? "-" : "\"" + user + "\"");
    }
  }

  /**
   * The subject of the request's user token, cut, with control characters and line separators
   * replaced by {@code ?}; null without a user token.
   */
  private static String userOf(RoutingContext ctx) {
    Grants grants = RequestGrants.peek(ctx);
    if (grants == null || grants.kind() != Grants.Kind.USER) {
      return null;
    }
    StringBuilder sub = new StringBuilder(clip(grants.sub()));
    for (int i = 0; i < sub.length(); i++) {
      char c = sub.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        sub.setCharAt(i, '?');
      }
    }
    return sub.toString();
  }

  private static String clip(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
  }
}
