package io.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SDK's SignalingClient in a real Chromium, against the gateways of a real cluster. */
@ExtendWith(SwitchboardCluster.class)
class SignalingClientTest {

  private final SwitchboardCluster cluster = SwitchboardCluster.get();

  /**
   * A join refused with {@code no-quorum}, as a part of a split cluster below
   * {@code CLUSTER_MIN_DATA_MEMBERS} answers it, rejects the join's promise with that code; the same
   * connection joins once the gateway takes joins again.
   */
  @Test
  void aJoinRefusedForWantOfQuorumRejectsWithNoQuorumAndALaterJoinWorks() {
    String room = "quorum-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      @SuppressWarnings("unchecked")
      Map<String, Object> result = (Map<String, Object>) browser.jsAsync("""
          const [room, done] = arguments;
          import('/js/switchboard.js').then(async ({ SignalingClient }) => {
            const client = new SignalingClient();
            await client.connect();
            // The gateway's answer to a join while its part of the cluster has too few data members.
            const send = client._send.bind(client);
            client._send = (frame) => {
              if (frame.type === 'join') {
                setTimeout(() => client._receive(JSON.stringify({ type: 'error', code: 'no-quorum',
                  message: 'Too few data members are in this part of the cluster' })), 5);
                return;
              }
              send(frame);
            };
            let refused = null;
            try { await client.join(room); } catch (err) { refused = err.code; }
            const roomAfterRefusal = client.room;
            client._send = send;
            const joined = await client.join(room);
            client.connection.close();
            done({ refused, roomAfterRefusal, joined: joined.room });
          }).catch((err) => done({ error: String(err) }));
          """, room);
      assertEquals("no-quorum", result.get("refused"), String.valueOf(result));
      assertEquals(null, result.get("roomAfterRefusal"));
      assertEquals(room, result.get("joined"));
      assertEquals(List.of(), browser.pageErrors());
    }
  }

  /** close() is for good: the members it knew leave without the promise of a reconnect. */
  @Test
  void aClientClosedForGoodSaysItsPeersLeftWithoutReconnecting() {
    String room = "close-" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open()) {
      browser.get(cluster.gatewayA() + "/");
      @SuppressWarnings("unchecked")
      Map<String, Object> result = (Map<String, Object>) browser.jsAsync("""
          const [room, done] = arguments;
          import('/js/switchboard.js').then(async ({ SignalingClient }) => {
            const a = new SignalingClient();
            const b = new SignalingClient();
            await a.connect();
            await b.connect();
            await a.join(room);
            const met = new Promise((resolve) => a.on('peer-joined', resolve));
            await b.join(room);
            await met;
            const left = [];
            const gone = new Promise((resolve) => a.on('peer-left', ({ peer, reconnecting }) => {
              left.push({ isB: peer === b.id, reconnecting });
              resolve();
            }));
            a.close();
            await gone;
            b.close();
            done({ left });
          }).catch((err) => done({ error: String(err) }));
          """, room);
      assertEquals(List.of(Map.of("isB", true, "reconnecting", false)), result.get("left"), String.valueOf(result));
      assertEquals(List.of(), browser.pageErrors());
    }
  }
}
