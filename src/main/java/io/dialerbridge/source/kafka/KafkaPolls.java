package io.dialerbridge.source.kafka;

import io.dialerbridge.source.PolledRecord;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The edge between camel-kafka's batch consumer and the pipeline: reads the record exchanges of a poll
 * into {@link PolledRecord}s. Records of partitions this consumer no longer owns (a rebalance took them
 * while they waited in camel-kafka's batch) are not sent: their new owner reads them again from the
 * committed offset. Commits are {@link KafkaConsumerThread}'s.
 */
public final class KafkaPolls {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPolls.class);

    private final KafkaAccess access;

    public KafkaPolls(KafkaAccess access) {
        this.access = access;
    }

    /** The records of a poll that this consumer still owns, in poll order (offset order per partition). */
    public List<PolledRecord> records(List<Exchange> exchanges) {
        List<PolledRecord> records = new ArrayList<>(exchanges.size());
        Map<TopicPartition, Boolean> owned = new LinkedHashMap<>();
        for (Exchange exchange : exchanges) {
            Message message = exchange.getMessage();
            TopicPartition partition = partitionOf(message);
            if (!owned.computeIfAbsent(partition, p -> owns(message, p))) {
                continue;
            }
            records.add(new PolledRecord(partition.topic(), partition.partition(),
                    message.getHeader(KafkaConstants.OFFSET, Long.class), message.getBody(byte[].class),
                    text(message.getHeader("projectid"))));
        }
        int skipped = exchanges.size() - records.size();
        if (skipped > 0) {
            LOG.info("{} records of partitions this consumer no longer owns are left to their new owner", skipped);
        }
        return records;
    }

    /**
     * Work of the poll could not be accounted for (for example Kafka refused the producer of dead letters):
     * its partitions are read again from the committed offset (see {@code InFlightRecords#failed}).
     */
    public void notAccounted(Exception failure) {
        if (KafkaAccess.isRefusal(failure)) {
            access.refused("producer of dead letters", failure);
        }
    }

    private static TopicPartition partitionOf(Message message) {
        return new TopicPartition(message.getHeader(KafkaConstants.TOPIC, String.class),
                message.getHeader(KafkaConstants.PARTITION, Integer.class));
    }

    private static boolean owns(Message message, TopicPartition partition) {
        Object manual = message.getHeader(KafkaConstants.MANUAL_COMMIT);
        if (manual instanceof DefaultKafkaManualCommit commit && commit.getConsumer() != null) {
            Set<TopicPartition> assignment = commit.getConsumer().assignment();
            return assignment.contains(partition);
        }
        return true;
    }

    private static String text(Object header) {
        if (header instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return header == null ? null : header.toString();
    }
}
