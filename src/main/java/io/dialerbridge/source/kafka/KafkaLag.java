package io.dialerbridge.source.kafka;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The consumer lag of each partition this instance owns: records on the partition beyond its committed
 * offset (the log end offset minus the committed offset), noted by the consumer's thread after every poll
 * ({@link KafkaConsumerThread}) and read by the metrics at each scrape.
 */
public final class KafkaLag {

    private final Map<String, Long> byPartition = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, Integer> newPartition = (topic, partition) -> { };

    /** Called once for each partition the first time its lag is noted (the metrics add a gauge). */
    public void onNewPartition(BiConsumer<String, Integer> listener) {
        this.newPartition = listener;
    }

    public void note(String topic, int partition, long lag) {
        if (byPartition.put(key(topic, partition), Math.max(0, lag)) == null) {
            newPartition.accept(topic, partition);
        }
    }

    /** The partition left this instance: its lag is no longer known here. */
    public void forget(String topic, int partition) {
        byPartition.remove(key(topic, partition));
    }

    /** The last lag noted for the partition; empty while this instance does not own it. */
    public OptionalLong of(String topic, int partition) {
        Long lag = byPartition.get(key(topic, partition));
        return lag == null ? OptionalLong.empty() : OptionalLong.of(lag);
    }

    private static String key(String topic, int partition) {
        return topic + "/" + partition;
    }
}
