package io.switchboard.common.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The publish request and the topic report as they travel on the bus between gateways and sse-service. */
class PublishContractTest {

  @Test
  void aRequestWithoutACreatorTravelsAsBeforeCreatorsExisted() {
    PublishRequest request = new PublishRequest("prices", null, "1", "k1");
    assertEquals("{\"topic\":\"prices\",\"data\":\"1\",\"key\":\"k1\"}", request.toJson().encode());
    PublishRequest read = PublishRequest.fromJson(new JsonObject("{\"topic\":\"prices\",\"data\":\"1\"}"));
    assertEquals(new PublishRequest("prices", null, "1", null, null, null, false), read);
  }

  @Test
  void aRequestCarriesItsCreatorAndWhetherItIsExempt() {
    PublishRequest request = new PublishRequest("prices", "bid", "1", null, null, "192.0.2.7", true);
    assertEquals("{\"topic\":\"prices\",\"data\":\"1\",\"event\":\"bid\",\"creator\":\"192.0.2.7\","
        + "\"rateExempt\":true}", request.toJson().encode());
    assertEquals(request, PublishRequest.fromJson(new JsonObject(request.toJson().encode())));
  }

  @Test
  void onlyTheBooleanTrueMakesARequestExemptAndACreatorOfTheWrongTypeIsRefusable() {
    PublishRequest read = PublishRequest.fromJson(new JsonObject()
        .put("topic", "t").put("data", "1").put("creator", 5).put("rateExempt", "true"));
    assertEquals("", read.creator());
    assertEquals(false, read.rateExempt());
  }

  @Test
  void aRequestCarriesItsDeadlineAndOneWithoutOrWithAMalformedOneHasNone() {
    PublishRequest request = new PublishRequest("prices", null, "1", "k1").withDeadline(1_700_000_000_123L);
    assertEquals("{\"topic\":\"prices\",\"data\":\"1\",\"key\":\"k1\",\"deadline\":1700000000123}",
        request.toJson().encode());
    assertEquals(request, PublishRequest.fromJson(new JsonObject(request.toJson().encode())));
    assertEquals(0, PublishRequest.fromJson(new JsonObject().put("topic", "t").put("data", "1")).deadline());
    assertEquals(0, PublishRequest.fromJson(new JsonObject()
        .put("topic", "t").put("data", "1").put("deadline", "soon")).deadline());
  }

  @Test
  void aTopicReportListsItsTopicsAndSkipsItemsThatAreNotNames() {
    TopicTouch touch = new TopicTouch(List.of("a", "b"));
    assertEquals("{\"topics\":[\"a\",\"b\"]}", touch.toJson().encode());
    assertEquals(List.of("a"), TopicTouch.fromJson(new JsonObject("{\"topics\":[\"a\",3,null]}")).topics());
    assertEquals(List.of(), TopicTouch.fromJson(new JsonObject()).topics());
  }
}
