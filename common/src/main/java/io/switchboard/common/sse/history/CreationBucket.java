package io.switchboard.common.sse.history;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;

/**
 * CreationBucket is one creator's token bucket of topic creations: the tokens it had when it was
 * last used. A creator without a bucket has a full one.
 */
public final class CreationBucket implements DataSerializable {

  private double tokens;
  private long at;

  public CreationBucket() {
  }

  CreationBucket(double tokens, long at) {
    this.tokens = tokens;
    this.at = at;
  }

  /** The tokens at {@code now}, refilled at {@code perMinute} up to {@code burst}. */
  double tokensAt(long now, double perMinute, int burst) {
    double refill = Math.max(0, now - at) * perMinute / 60_000.0;
    return Math.min(burst, tokens + refill);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeDouble(tokens);
    out.writeLong(at);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    tokens = in.readDouble();
    at = in.readLong();
  }
}
