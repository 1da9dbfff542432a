package io.switchboard.it;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** HttpPublishTransport publishes with {@code POST /api/topics/{topic}/events} and an {@code Idempotency-Key}. */
final class HttpPublishTransport implements PublishTransport {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Override
  public String name() {
    return "HTTP";
  }

  @Override
  public String attempt(int port, String topic, String key, JsonObject data)
      throws RetryableAnswer, IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(Http.uri(port, "/api/topics/" + topic + "/events"))
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", key)
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("data", data).encode()))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 202) {
      return new JsonObject(response.body()).getString("id");
    }
    if (response.statusCode() == 503 || response.statusCode() == 504) {
      throw new RetryableAnswer(response.statusCode() + " " + response.body());
    }
    throw new AssertionError("Publish " + key + " answered " + response.statusCode() + " " + response.body());
  }
}
