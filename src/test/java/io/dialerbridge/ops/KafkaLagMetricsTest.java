package io.dialerbridge.ops;

import io.dialerbridge.source.kafka.KafkaLag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaLagMetricsTest {

    @Test
    void one_gauge_per_partition_reads_the_last_lag_noted_and_nan_once_the_partition_left() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KafkaLag lag = new KafkaLag();
        new BridgeMetrics(registry).watching(lag);

        lag.note("dialer.modify-records", 0, 120);
        lag.note("dialer.modify-records", 1, 0);
        lag.note("dialer.modify-records", 0, 40);

        assertThat(registry.get("dialer_bridge_kafka_consumer_lag").tag("partition", "0").gauge().value()).isEqualTo(40.0);
        assertThat(registry.get("dialer_bridge_kafka_consumer_lag").tag("partition", "1").gauge().value()).isEqualTo(0.0);
        lag.forget("dialer.modify-records", 0);
        assertThat(registry.get("dialer_bridge_kafka_consumer_lag").tag("partition", "0").gauge().value()).isNaN();
        lag.note("dialer.modify-records", 0, 7);
        assertThat(registry.get("dialer_bridge_kafka_consumer_lag").tag("partition", "0").gauge().value()).isEqualTo(7.0);
    }
}
