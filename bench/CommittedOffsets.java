import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Part of bench/kafka-throughput: watches a consumer group's committed offsets on a topic until they
 * reach the end offsets, and prints the rate from the first commit seen to the last.
 *
 * usage: java -cp "$(scripts/kafka-local classpath)" bench/CommittedOffsets.java BOOTSTRAP GROUP TOPIC TIMEOUT_S
 */
public final class CommittedOffsets {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0], group = args[1], topic = args[2];
        long timeoutNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(config)) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            long end = admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
            long start = System.nanoTime();
            long firstNanos = 0, firstCommitted = 0, lastPrint = 0;
            while (true) {
                long committed = 0;
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e : admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get().entrySet()) {
                    if (e.getKey().topic().equals(topic) && e.getValue() != null) {
                        committed += e.getValue().offset();
                    }
                }
                long now = System.nanoTime();
                if (committed > 0 && firstNanos == 0) {
                    firstNanos = now;
                    firstCommitted = committed;
                }
                if (now - lastPrint > TimeUnit.SECONDS.toNanos(2)) {
                    System.err.printf("committed %d of %d%n", committed, end);
                    lastPrint = now;
                }
                if (committed >= end) {
                    double steady = (committed - firstCommitted) / ((now - firstNanos) / 1e9);
                    double wall = committed / ((now - start) / 1e9);
                    System.out.printf("RESULT tool=dialer-bridge topic=%s elements=%d seconds_from_first_commit=%.3f "
                                    + "elements_per_sec=%.1f wall_seconds=%.3f wall_elements_per_sec=%.1f%n", topic, committed,
                            (now - firstNanos) / 1e9, steady, (now - start) / 1e9, wall);
                    return;
                }
                if (now - start > timeoutNanos) {
                    System.out.printf("TIMEOUT committed %d of %d%n", committed, end);
                    System.exit(1);
                }
                Thread.sleep(Duration.ofMillis(100).toMillis());
            }
        }
    }
}
