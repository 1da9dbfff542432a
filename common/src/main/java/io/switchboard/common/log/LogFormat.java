package io.switchboard.common.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.switchboard.common.config.Env;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * LogFormat is how a process writes its log: text lines by default, or with {@code LOG_FORMAT=json}
 * one JSON object per line, written by logback's own {@link JsonEncoder}: {@code timestamp} (epoch
 * milliseconds), {@code level}, {@code threadName}, {@code loggerName}, {@code formattedMessage},
 * {@code kvpList} (the ids the line is about, see {@link LogFields}), {@code throwable}, and
 * {@code context.properties} with the process's {@code service} and {@code node} once it has joined
 * its cluster.
 */
public final class LogFormat {

  private LogFormat() {
  }

  /**
   * Switches the log to {@code LOG_FORMAT}; a value other than {@code text} or {@code json} throws,
   * as does a {@code LOG_LEVEL} that is not a level. The level read here is the root logger's, so
   * that a blank {@code LOG_LEVEL} means {@code INFO} as every other blank variable means its
   * default; logback.xml reads the variable too, for the lines logged before this runs.
   */
  public static void apply(Env env) {
    String level = env.string("LOG_LEVEL", "INFO", "(?i)TRACE|DEBUG|INFO|WARN|ERROR", "TRACE, DEBUG, INFO, WARN or ERROR");
    String format = env.string("LOG_FORMAT", "text", "text|json", "text or json");
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
      if (format.equals("json")) {
        json(context);
      }
    }
  }

  /** Names the process in every line from now on: {@code service} and {@code node}. */
  public static void identify(String service, String node) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      context.putProperty("service", service);
      context.putProperty("node", node);
    }
  }

  private static void json(LoggerContext context) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("JSON");
    appender.setEncoder(jsonEncoder(context));
    appender.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }

  /** The encoder of {@code LOG_FORMAT=json}, started. */
  static JsonEncoder jsonEncoder(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithMessage(false);
    encoder.setWithFormattedMessage(true);
    encoder.setWithArguments(false);
    encoder.setWithMarkers(false);
    encoder.start();
    return encoder;
  }
}
