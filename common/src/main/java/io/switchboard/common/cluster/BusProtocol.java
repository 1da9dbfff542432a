package io.switchboard.common.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.switchboard.common.ErrorCode;
import io.switchboard.common.log.LimitLog;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BusProtocol is the version of what Switchboard's members say to each other on the event bus and
 * store for each other in Hazelcast, and the check that a member only reads messages of a version
 * it speaks.
 *
 * <p>Every message this member sends carries its version in the {@link #HEADER} header, stamped by
 * an outbound interceptor installed once when the node starts; an inbound interceptor checks the
 * header of every message before any consumer, or reply handler, sees it. A message without the
 * header comes from a release older than the header: version 1. A member speaks its own version
 * and the ones next to it, one older and one newer, so a cluster can be upgraded one release at a
 * time with both releases running side by side (docs/operations.md, "What a release may change on
 * the bus"). A message of any other version is refused rather than misread: a request is answered
 * with {@link ErrorCode#PROTOCOL_MISMATCH}, and a reply or a published message is dropped, so its
 * requester times out. Refusals are logged as the limit {@code protocol-mismatch} ({@link LimitLog}).
 */
public final class BusProtocol {

  /**
   * This release's version. Raised by one in every release that changes anything on the bus or in
   * the layout of what the members store in Hazelcast, compatibly with the release before it.
   */
  public static final int VERSION = 2;
  /** The event-bus header that carries the sender's version. */
  public static final String HEADER = "sb-protocol";
  /** The version of a message without {@link #HEADER}: a member older than the header. */
  public static final int UNMARKED = 1;
  /** The Hazelcast member attribute that carries a member's version; absent before version 2. */
  public static final String MEMBER_ATTRIBUTE = "switchboard.protocol";

  private static final Logger LOG = LoggerFactory.getLogger(BusProtocol.class);
  private static final LimitLog REFUSALS = new LimitLog(LOG);
  private static final String STAMP = String.valueOf(VERSION);

  private BusProtocol() {
  }

  /**
   * Whether every member of {@code hazelcast}'s cluster is of this version or newer: false while a
   * member of an older release is in it, which cannot run what this release added, such as a new
   * entry processor. A member without {@link #MEMBER_ATTRIBUTE} is of version {@link #UNMARKED}.
   */
  public static boolean clusterAtThisVersion(HazelcastInstance hazelcast) {
    for (Member member : hazelcast.getCluster().getMembers()) {
      if (!atThisVersion(member)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code member} is of this version or newer. */
  public static boolean atThisVersion(Member member) {
    String value = member.getAttribute(MEMBER_ATTRIBUTE);
    try {
      return (value == null ? UNMARKED : Integer.parseInt(value)) >= VERSION;
    } catch (NumberFormatException e) {
      return UNMARKED >= VERSION;
    }
  }

  /** Whether this member speaks {@code version}: its own and the ones next to it. */
  public static boolean speaks(int version) {
    return Math.abs(version - VERSION) <= 1;
  }

  /**
   * The version a message's headers say it was sent in: {@link #UNMARKED} without the header, -1
   * when the header is not a version number.
   */
  public static int versionOf(MultiMap headers) {
    String value = headers == null ? null : headers.get(HEADER);
    if (value == null) {
      return UNMARKED;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The version {@code message} was sent in; see {@link #versionOf(MultiMap)}. */
  public static int versionOf(Message<?> message) {
    return versionOf(message.headers());
  }

  /** Stamps every message {@code bus} sends with this release's version, and checks every one it receives. */
  public static void install(EventBus bus) {
    bus.addOutboundInterceptor(BusProtocol::stamp);
    bus.addInboundInterceptor(BusProtocol::check);
  }

  private static <T> void stamp(DeliveryContext<T> delivery) {
    delivery.message().headers().set(HEADER, STAMP);
    delivery.next();
  }

  private static <T> void check(DeliveryContext<T> delivery) {
    Message<T> message = delivery.message();
    int version = versionOf(message);
    if (speaks(version)) {
      delivery.next();
      return;
    }
    String text = "This member speaks bus protocol " + (VERSION - 1) + " to " + (VERSION + 1)
        + " (version " + VERSION + "), and was sent a message of "
        + (version < 0 ? "an unreadable version '" + message.headers().get(HEADER) + "'" : "version " + version)
        + " on " + message.address() + ": members more than one release apart cannot run side by side";
    REFUSALS.hit("protocol-mismatch", "Refusing a message: {}", text);
    if (message.replyAddress() != null) {
      message.fail(ErrorCode.PROTOCOL_MISMATCH.busCode(), text);
    }
  }
}
