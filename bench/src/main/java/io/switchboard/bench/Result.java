package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Result is one scenario run against one system: throughput, latency percentiles, the full
 * latency histogram (so rounds can be merged later) and scenario-specific figures, as JSON.
 */
public final class Result {

  private final JsonObject json;

  private Result(JsonObject json) {
    this.json = json;
  }

  public static Result of(String scenario, String system, Args args) {
    return new Result(new JsonObject()
        .put("scenario", scenario)
        .put("system", system)
        .put("variant", args.string("variant", ""))
        .put("round", args.integer("round", 1))
        .put("startedAt", Instant.now().toString())
        .put("options", new JsonObject(new java.util.LinkedHashMap<>(args.asMap())))
        .put("machine", Machine.describe())
        .put("extra", new JsonObject()));
  }

  public static Result fromJson(JsonObject json) {
    return new Result(json);
  }

  public static Result read(Path file) throws IOException {
    return new Result(new JsonObject(Files.readString(file)));
  }

  public Result throughput(double perSecond, String unit, long count, double seconds) {
    json.put("throughput", perSecond).put("throughputUnit", unit).put("count", count)
        .put("durationSeconds", seconds);
    return this;
  }

  public Result latency(Histogram micros) {
    json.put("latency", percentiles(micros)).put("latencyHistogram", encode(micros));
    return this;
  }

  /** A second latency figure, for example join latency next to relay latency. */
  public Result latency(String name, Histogram micros) {
    json.getJsonObject("extra").put(name, percentiles(micros));
    return this;
  }

  public Result extra(String key, Object value) {
    json.getJsonObject("extra").put(key, value);
    return this;
  }

  public Result errors(long errors) {
    json.put("errors", errors);
    return this;
  }

  public JsonObject json() {
    return json;
  }

  public String scenario() {
    return json.getString("scenario");
  }

  /** The scenario and its variant, for example {@code signaling-relay @ 1000/s}: what a table compares. */
  public String group() {
    String variant = json.getString("variant", "");
    return variant.isEmpty() ? scenario() : scenario() + " @ " + variant;
  }

  public String system() {
    return json.getString("system");
  }

  public double throughputValue() {
    return json.getDouble("throughput", 0.0);
  }

  public JsonObject extras() {
    return json.getJsonObject("extra", new JsonObject());
  }

  /** The latency histogram in microseconds, or an empty one when the run recorded none. */
  public Histogram histogram() {
    String encoded = json.getString("latencyHistogram");
    if (encoded == null) {
      return Latency.emptyHistogram();
    }
    return decode(encoded);
  }

  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, json.encodePrettily() + "\n");
  }

  /** The one-line summary printed after a run. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(group()).append(' ').append(system()).append(": ");
    if (json.containsKey("throughput")) {
      s.append(String.format(Locale.ROOT, "%,.0f %s", json.getDouble("throughput"),
          json.getString("throughputUnit")));
    }
    JsonObject lat = json.getJsonObject("latency");
    if (lat != null && lat.getLong("count", 0L) > 0) {
      s.append(String.format(Locale.ROOT, ", p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms",
          lat.getDouble("p50"), lat.getDouble("p99"), lat.getDouble("p999")));
    }
    if (json.containsKey("errors")) {
      s.append(", errors ").append(json.getLong("errors"));
    }
    String note = extras().getString("summary");
    if (note != null) {
      s.append(", ").append(note);
    }
    return s.toString();
  }

  static JsonObject percentiles(Histogram micros) {
    return new JsonObject()
        .put("unit", "ms")
        .put("count", micros.getTotalCount())
        .put("mean", micros.getTotalCount() == 0 ? 0.0 : micros.getMean() / 1000.0)
        .put("p50", ms(micros, 50))
        .put("p90", ms(micros, 90))
        .put("p99", ms(micros, 99))
        .put("p999", ms(micros, 99.9))
        .put("max", micros.getMaxValue() / 1000.0);
  }

  private static double ms(Histogram micros, double percentile) {
    return micros.getTotalCount() == 0 ? 0.0 : micros.getValueAtPercentile(percentile) / 1000.0;
  }

  static String encode(Histogram h) {
    ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int length = h.encodeIntoCompressedByteBuffer(buffer);
    byte[] bytes = new byte[length];
    buffer.flip();
    buffer.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(base64)), Latency.MAX_MICROS);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("bad latency histogram", e);
    }
  }
}
