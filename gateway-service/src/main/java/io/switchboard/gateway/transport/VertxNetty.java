package io.switchboard.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.List;

/**
 * VertxNetty is the one place the gateway reaches past Vert.x's public API into the Netty plumbing
 * under it: the pipeline behind a connection, the bytes behind a buffer, and the names Vert.x gives
 * the handlers it puts in a pipeline. Vert.x exposes none of these from its API, so an upgrade may
 * change them without notice; {@code VertxNettyTest} fails, naming this class, when one does.
 */
public final class VertxNetty {

  /**
   * Vert.x's own handler, last in the pipeline of an HTTP/1.x connection, and still there once the
   * connection is upgraded to a WebSocket.
   */
  static final String VERTX_HANDLER = "handler";
  /** Netty's HTTP/1.x encoder, as Vert.x names it in the pipeline. */
  static final String HTTP_ENCODER = "httpEncoder";
  /** The prefix of the names of the gateway's own handlers, which only watch what passes. */
  public static final String SWITCHBOARD_PREFIX = "switchboard-";
  /** Netty's WebSocket frame encoder, as the handshake names it in an upgraded pipeline. */
  static final String WEBSOCKET_ENCODER = "wsencoder";

  /**
   * The factory that Vert.x's handler calls once, when it is added to a pipeline, to make its
   * connection; null when this Vert.x has no such field.
   */
  private static final Field CONNECTION_FACTORY = field(VertxHandler.class, "connectionFactory");
  /** The queue a Vert.x connection passes its writes through; null when this Vert.x has none. */
  private static final Field OUTBOUND_QUEUE = field(VertxConnection.class, "outboundMessageQueue");
  /** The queue that writes at once, which Vert.x gives connections of strict thread mode. */
  private static final Constructor<?> DIRECT_QUEUE = directQueue();

  private VertxNetty() {
  }

  /** The connection's pipeline, or null for a connection of another kind. */
  public static ChannelPipeline pipeline(HttpConnection connection) {
    return connection instanceof ConnectionBase base ? base.channelHandlerContext().pipeline() : null;
  }

  /**
   * Trims a connection that was just upgraded to a WebSocket to what an idle WebSocket needs; call
   * on its event loop, before anything is written to it. Returns what it could do.
   * <ul>
   *   <li>Vert.x's handler of the upgraded pipeline keeps the factory that made its WebSocket
   *       connection for as long as the connection lives, though it calls it only once, when it is
   *       added; that factory holds the handshake, the upgrade request and the HTTP/1.x connection
   *       with its outbound queue. It is let go.</li>
   *   <li>The WebSocket connection gets a queue for writes from other threads, about 4.6 KiB
   *       allocated up front, although the gateway writes to a connection on its own event loop
   *       only, as an HTTP server in strict thread mode does. It gets the direct writes of that
   *       mode instead, which keep Vert.x's writability and drain signals.</li>
   * </ul>
   */
  public static Trimmed trimUpgraded(ChannelPipeline pipeline) {
    ChannelHandler handler = pipeline.get(VERTX_HANDLER);
    VertxConnection connection = handler instanceof VertxHandler<?> vertx ? vertx.getConnection() : null;
    if (connection == null) {
      return new Trimmed(false, false);
    }
    boolean factory = false;
    boolean queue = false;
    try {
      if (CONNECTION_FACTORY != null) {
        CONNECTION_FACTORY.set(handler, null);
        factory = true;
      }
      if (OUTBOUND_QUEUE != null && DIRECT_QUEUE != null
          && OUTBOUND_QUEUE.get(connection).getClass() != DIRECT_QUEUE.getDeclaringClass()) {
        OUTBOUND_QUEUE.set(connection, DIRECT_QUEUE.newInstance(connection));
        queue = true;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Vert.x changed: the connection keeps what it had, and works as before.
    }
    return new Trimmed(factory, queue);
  }

  /** What {@link #trimUpgraded} did: let go of the upgrade's factory, and made writes direct. */
  public record Trimmed(boolean factory, boolean directWrites) {
  }

  private static Field field(Class<?> owner, String name) {
    try {
      Field field = owner.getDeclaredField(name);
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Constructor<?> directQueue() {
    try {
      Constructor<?> direct = Class.forName(VertxConnection.class.getName() + "$DirectOutboundMessageQueue")
          .getDeclaredConstructor(VertxConnection.class);
      direct.setAccessible(true);
      return direct;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Closes the connection at once. A close that went through Vert.x's handler, as
   * {@code channel.close()} does, would start a WebSocket's closing handshake instead, and wait for
   * a client that may be gone; from the front of the pipeline it reaches only the socket.
   */
  public static void closeNow(Channel channel) {
    ChannelHandlerContext first = channel.pipeline().firstContext();
    if (first != null) {
      first.close();
    } else {
      channel.close();
    }
  }

  /** The bytes behind {@code buffer}, without a copy; read them, do not keep or release them. */
  public static ByteBuf byteBuf(Buffer buffer) {
    return ((BufferInternal) buffer).getByteBuf();
  }

  /**
   * Adds {@code handler} right before Vert.x's own handler, where it sees what Vert.x is about to
   * receive; false, and nothing added, when the pipeline has no Vert.x handler.
   */
  public static boolean addBeforeVertx(ChannelPipeline pipeline, String name,
      ChannelHandler handler) {
    if (pipeline.get(VERTX_HANDLER) == null) {
      return false;
    }
    pipeline.addBefore(VERTX_HANDLER, name, handler);
    return true;
  }

  /**
   * The context of Netty's HTTP/1.x encoder when Vert.x's handler directly follows it, so that a
   * write from there skips nothing but Vert.x; null otherwise (no encoder, or a handler between
   * them such as compression).
   */
  public static ChannelHandlerContext encoderNextToVertx(ChannelPipeline pipeline) {
    List<String> names = pipeline.names();
    int encoder = names.indexOf(HTTP_ENCODER);
    boolean next = encoder >= 0 && encoder + 1 < names.size()
        && names.get(encoder + 1).equals(VERTX_HANDLER);
    return next ? pipeline.context(HTTP_ENCODER) : null;
  }

  /**
   * The context of Netty's WebSocket frame encoder in an upgraded connection's pipeline when every
   * handler after it is Vert.x's own (no compression), so that a frame's bytes written from there
   * skip nothing but Vert.x and the encoder; null otherwise.
   */
  public static ChannelHandlerContext webSocketEncoderNextToVertx(ChannelPipeline pipeline) {
    List<String> names = pipeline.names();
    int encoder = names.indexOf(WEBSOCKET_ENCODER);
    if (encoder < 0) {
      return null;
    }
    for (String after : names.subList(encoder + 1, names.size())) {
      if (!after.equals(VERTX_HANDLER) && !after.startsWith(SWITCHBOARD_PREFIX) && !after.startsWith("DefaultChannelPipeline$")) {
        return null;
      }
    }
    return pipeline.context(WEBSOCKET_ENCODER);
  }
}
