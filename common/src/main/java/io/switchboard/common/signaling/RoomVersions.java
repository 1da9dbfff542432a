package io.switchboard.common.signaling;

/**
 * RoomVersions computes the next version of a room.
 *
 * <p>A room that is created again after it emptied starts from the caller's clock (in microsecond
 * units), above every version its earlier incarnation had, so late events of that incarnation are
 * recognised as old by the gateways.
 */
final class RoomVersions {

  private RoomVersions() {
  }

  static long next(Room room, long nowMillis) {
    long base = nowMillis * 1000;
    return room == null ? base : Math.max(room.version() + 1, base);
  }
}
