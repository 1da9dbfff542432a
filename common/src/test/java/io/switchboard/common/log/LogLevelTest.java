package io.switchboard.common.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.switchboard.common.config.Env;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** LOG_LEVEL sets the root logger's level, and a blank one means INFO, as configuration.md says. */
class LogLevelTest {

  private final Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory())
      .getLogger(Logger.ROOT_LOGGER_NAME);
  private final Level before = root.getLevel();

  @AfterEach
  void restore() {
    root.setLevel(before);
  }

  @Test
  void theRootLoggerTakesTheLevelInAnyCaseAndABlankLevelMeansInfo() {
    LogFormat.apply(new Env(Map.of("LOG_LEVEL", "warn")));
    assertEquals(Level.WARN, root.getLevel());
    LogFormat.apply(new Env(Map.of("LOG_LEVEL", " ")));
    assertEquals(Level.INFO, root.getLevel());
    LogFormat.apply(new Env(Map.of("LOG_LEVEL", "DEBUG")));
    assertEquals(Level.DEBUG, root.getLevel());
    LogFormat.apply(new Env(Map.of()));
    assertEquals(Level.INFO, root.getLevel());
  }
}
