package io.switchboard.common.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history read's request and page as they travel on the bus between gateways and sse-service. */
class HistoryContractTest {

  @Test
  void aPageTravelsWithTheFieldNamesGatewaysRead() {
    HistoryPage page = new HistoryPage("prices", new EventId("e", 9), true, HistoryPage.EXPIRED,
        new EventId("e", 4), List.of(new StoredEvent(new EventId("e", 5), "bid", "1"),
            new StoredEvent(new EventId("e", 6), null, "2")), true);
    assertEquals("{\"topic\":\"prices\",\"tail\":\"e-9\",\"lost\":true,\"resumeFrom\":\"e-4\","
        + "\"events\":[{\"id\":\"e-5\",\"event\":\"bid\",\"data\":\"1\"},{\"id\":\"e-6\",\"data\":\"2\"}],"
        + "\"more\":true,\"lostReason\":\"expired\"}", page.toJson().encode());
    assertEquals(page, HistoryPage.fromJson(new JsonObject(page.toJson().encode())));
  }

  @Test
  void aPageLeavesOutMalformedEvents() {
    HistoryPage page = HistoryPage.fromJson(new JsonObject(
        "{\"tail\":\"e-2\",\"events\":[{\"id\":\"nope\",\"data\":\"1\"},{\"id\":\"e-2\",\"data\":2},"
            + "{\"id\":\"e-2\",\"event\":3,\"data\":\"2\"},{\"id\":\"e-2\",\"data\":\"2\"}]}"));
    assertEquals(List.of(new StoredEvent(new EventId("e", 2), null, "2")), page.events());
    assertNull(page.resumeFrom());
  }

  @Test
  void aLiveEventReadsAsMalformedWithoutIdOrDataOrWithATypeThatIsNotAString() {
    assertNull(StoredEvent.fromJson(new JsonObject().put("id", "ep1-7")));
    assertNull(StoredEvent.fromJson(new JsonObject().put("id", 7).put("data", "x")));
    assertNull(StoredEvent.fromJson(new JsonObject().put("id", "ep1-7").put("data", "x").put("event", 1)));
  }

  @Test
  void aRequestKeepsTheClientsIdAsGiven() {
    HistoryRequest request = new HistoryRequest("prices", "not-an-id!", 100);
    assertEquals("{\"topic\":\"prices\",\"limit\":100,\"after\":\"not-an-id!\"}", request.toJson().encode());
    assertEquals(request, HistoryRequest.fromJson(request.toJson()));
  }

  @Test
  void aRequestOfTheWrongShapeReadsAsOneToRefuse() {
    assertEquals(new HistoryRequest(null, null, -1),
        HistoryRequest.fromJson(new JsonObject().put("topic", 1).put("after", 2).put("limit", "3")));
  }
}
