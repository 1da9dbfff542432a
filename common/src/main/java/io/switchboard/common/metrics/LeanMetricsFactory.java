package io.switchboard.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MicrometerMetricsFactory;

/**
 * LeanMetricsFactory is Vert.x's own Micrometer metrics with one part replaced: the event bus's are
 * {@link EventBusCounters}, which count each message without looking its meters up again. The HTTP
 * server, Netty, pool and JVM metrics are Vert.x's.
 */
final class LeanMetricsFactory implements VertxMetricsFactory {

  private final MicrometerMetricsFactory vertx;
  private final MeterRegistry registry;

  LeanMetricsFactory(MeterRegistry registry) {
    this.vertx = new MicrometerMetricsFactory(registry);
    this.registry = registry;
  }

  @Override
  public MetricsOptions newOptions() {
    return vertx.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return vertx.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return vertx.newOptions(json);
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    VertxMetrics metrics = vertx.metrics(options);
    EventBusCounters eventBus = new EventBusCounters(registry);
    return new VertxMetrics() {
      @Override
      public EventBusMetrics<?> createEventBusMetrics() {
        return eventBus;
      }

      @Override
      public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions serverOptions, SocketAddress localAddress) {
        return metrics.createHttpServerMetrics(serverOptions, localAddress);
      }

      @Override
      public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
        return metrics.createClientMetrics(remoteAddress, type, namespace);
      }

      @Override
      public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions clientOptions) {
        return metrics.createHttpClientMetrics(clientOptions);
      }

      @Override
      public TCPMetrics<?> createNetServerMetrics(NetServerOptions serverOptions, SocketAddress localAddress) {
        return metrics.createNetServerMetrics(serverOptions, localAddress);
      }

      @Override
      public TCPMetrics<?> createNetClientMetrics(NetClientOptions clientOptions) {
        return metrics.createNetClientMetrics(clientOptions);
      }

      @Override
      public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions socketOptions) {
        return metrics.createDatagramSocketMetrics(socketOptions);
      }

      @Override
      public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
        return metrics.createPoolMetrics(poolType, poolName, maxPoolSize);
      }

      @Override
      public void vertxCreated(io.vertx.core.Vertx created) {
        metrics.vertxCreated(created);
      }

      @Override
      public boolean isMetricsEnabled() {
        return metrics.isMetricsEnabled();
      }

      @Override
      public void close() {
        metrics.close();
      }
    };
  }
}
