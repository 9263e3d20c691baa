package io.dialerbridge.source.kafka;

import io.dialerbridge.source.PolledRecord;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
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
 * into {@link PolledRecord}s, and commits a poll once all its work is accounted for.
 *
 * <p>Commits go through the {@link KafkaManualCommit} of the last record of <em>each</em> partition:
 * the batch-level {@code CamelKafkaManualCommit} header camel-kafka sets covers only the last record's
 * partition. Records of partitions this consumer no longer owns (a rebalance took them while they
 * waited in camel-kafka's batch) are neither sent nor committed: their new owner reads them again from
 * the committed offset.
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

    /** Commits, for every partition in the poll that this consumer still owns, the offset after its last record. */
    public int commit(List<Exchange> exchanges) {
        Map<TopicPartition, Exchange> last = new LinkedHashMap<>();
        for (Exchange exchange : exchanges) {
            last.put(partitionOf(exchange.getMessage()), exchange);
        }
        int committed = 0;
        for (Map.Entry<TopicPartition, Exchange> entry : last.entrySet()) {
            Message message = entry.getValue().getMessage();
            KafkaManualCommit manual = message.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (manual == null) {
                throw new IllegalStateException("no manual commit on the record exchanges: the ingest-kafka route "
                        + "needs allowManualCommit=true");
            }
            if (!owns(message, entry.getKey())) {
                continue;
            }
            manual.commit();
            committed++;
        }
        LOG.debug("committed {} partitions after a poll of {} records", committed, exchanges.size());
        return committed;
    }

    /**
     * A poll could not be accounted for (for example the dialer refused the credentials, or Kafka the
     * producer of dead letters): it is polled again.
     */
    public void notCommitted(Exception failure) {
        if (KafkaAccess.isRefusal(failure)) {
            access.refused("producer of dead letters", failure);
        }
        throw new PollNotCommittedException("the poll was not committed and will be polled again: "
                + failure.getMessage(), failure);
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

    /** Thrown so that camel-kafka (breakOnFirstError) reconnects and polls again from the committed offsets. */
    public static final class PollNotCommittedException extends RuntimeException {
        public PollNotCommittedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
