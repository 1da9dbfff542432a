package io.switchboard.common.sse.history;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * TakeCreationToken takes one token from a creator's {@link CreationBucket} in
 * {@link HistoryMaps#CREATIONS}: true when there was one, and the topic may be created.
 *
 * <p>Buckets are cluster-wide, so a creator gets the same rate whichever sse-service instance
 * answers. An entry lives only until its bucket would be full again, after which having none
 * means the same; the map's size cap bounds the rest.
 */
public final class TakeCreationToken implements EntryProcessor<String, CreationBucket, Boolean>,
    DataSerializable {

  private long now;
  private double perMinute;
  private int burst;

  public TakeCreationToken() {
  }

  /** A take at {@code now} from a bucket of {@code burst} tokens refilled at {@code perMinute}. */
  public TakeCreationToken(long now, double perMinute, int burst) {
    this.now = now;
    this.perMinute = perMinute;
    this.burst = burst;
  }

  @Override
  public Boolean process(Map.Entry<String, CreationBucket> entry) {
    CreationBucket bucket = entry.getValue();
    double tokens = bucket == null ? burst : bucket.tokensAt(now, perMinute, burst);
    if (tokens < 1) {
      return Boolean.FALSE;
    }
    tokens -= 1;
    CreationBucket taken = new CreationBucket(tokens, now);
    long untilFull = (long) Math.ceil((burst - tokens) * 60_000.0 / perMinute);
    if (entry instanceof ExtendedMapEntry<String, CreationBucket> extended) {
      extended.setValue(taken, Math.max(1_000, untilFull), TimeUnit.MILLISECONDS);
    } else {
      entry.setValue(taken);
    }
    return Boolean.TRUE;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(now);
    out.writeDouble(perMinute);
    out.writeInt(burst);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    now = in.readLong();
    perMinute = in.readDouble();
    burst = in.readInt();
  }
}
