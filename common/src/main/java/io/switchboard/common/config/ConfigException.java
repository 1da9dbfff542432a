package io.switchboard.common.config;

/** ConfigException reports a configuration variable that is missing or malformed. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String variable, String expected, String actual) {
    super(variable + ": expected " + expected + ", got '" + actual + "'");
  }

  public ConfigException(String message) {
    super(message);
  }
}
