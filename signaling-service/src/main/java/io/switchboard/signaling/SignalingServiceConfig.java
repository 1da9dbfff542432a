package io.switchboard.signaling;

import io.switchboard.common.config.Env;

/**
 * SignalingServiceConfig holds signaling-service's own settings, read once from the environment.
 *
 * @param roomCapacity the most peers a room holds; one more gets {@code room-full}
 *     ({@code SIGNALING_ROOM_CAPACITY})
 */
public record SignalingServiceConfig(int roomCapacity) {

  public static final int DEFAULT_ROOM_CAPACITY = 16;

  public static SignalingServiceConfig from(Env env) {
    return new SignalingServiceConfig(
        env.integer("SIGNALING_ROOM_CAPACITY", DEFAULT_ROOM_CAPACITY, 1, 10_000));
  }

}
