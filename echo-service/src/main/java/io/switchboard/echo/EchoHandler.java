package io.switchboard.echo;

import io.switchboard.common.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;

/**
 * EchoHandler answers echo requests: a text body {@code T} with {@code "Server received: T"}, and a
 * binary body with the same bytes.
 */
public final class EchoHandler implements Handler<Message<Object>> {

  public static final String TEXT_PREFIX = "Server received: ";

  @Override
  public void handle(Message<Object> message) {
    Object body = message.body();
    if (body instanceof String text) {
      message.reply(TEXT_PREFIX + text);
    } else if (body instanceof Buffer bytes) {
      message.reply(bytes);
    } else {
      message.fail(ErrorCode.BAD_REQUEST.busCode(), "echo takes a String or a Buffer body");
    }
  }
}
