package io.dialerbridge.source.kafka;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Tells the Kafka consumers to stop polling as soon as the Camel context starts stopping (SIGTERM, or any
 * other stop of the bridge), before Camel's graceful shutdown waits for the work in flight: without it a
 * consumer keeps polling (camel-kafka only pauses a suspended route after its next poll, and the load
 * balancing resumed paused partitions), so work kept coming while Camel waited for it to end.
 */
public final class StopPollingOnShutdown extends EventNotifierSupport {

    private final KafkaConsumerThread consumers;

    public StopPollingOnShutdown(KafkaConsumerThread consumers) {
        this.consumers = consumers;
        setIgnoreCamelContextEvents(false);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        consumers.stopPolling();
    }
}
