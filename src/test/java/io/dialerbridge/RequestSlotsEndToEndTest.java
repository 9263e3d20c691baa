package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a slow dialer and a pool of twice as many batch senders as request slots, the bridge has at most
 * {@code batch.max-in-flight} batch requests out, and uses all of them (the sandbox's request log shows when
 * each request came and how long it took). How fast that makes it is measured in bench/run, line 2.
 */
@Timeout(90)
class RequestSlotsEndToEndTest extends BridgeEndToEndSupport {

    private static final int ELEMENTS = 60;

    @Override
    BridgeHarness newHarness() throws Exception {
        return BridgeHarness.withRecords(home, ELEMENTS);
    }

    @Test
    void a_slow_dialer_has_max_in_flight_batch_requests_out_and_never_more() throws Exception {
        harness.faults("{\"latency\":{\"requestMs\":250,\"path\":\"/v2/projects/22/records\"}}");
        harness.startBridge(Map.of("batch.max-elements", "2", "batch.max-in-flight", "3"), true);

        harness.drop("22", "modify-records", "slow.ndjson", BridgeHarness.distinctElements(ELEMENTS));
        JsonNode report = harness.awaitReport("22", "modify-records", "slow.ndjson", java.time.Duration.ofSeconds(60));

        assertThat(report.path("accepted").asLong()).isEqualTo(ELEMENTS);
        List<long[]> puts = harness.requests().stream()
                .filter(r -> r.path("method").asText().equals("PUT") && r.path("path").asText().equals("/v2/projects/22/records"))
                .map(r -> {
                    long start = Instant.parse(r.path("time").asText()).toEpochMilli();
                    return new long[] {start, start + r.path("durationMs").asLong()};
                })
                .toList();
        assertThat(puts).hasSize(ELEMENTS / 2);
        // how many requests were out when each one came (a few milliseconds of slack at the ends of each,
        // for the sandbox's clock and the time its answer takes to reach the bridge)
        int most = puts.stream().mapToInt(p -> (int) puts.stream()
                .filter(q -> q[0] <= p[0] && p[0] < q[1] - 20).count()).max().orElse(0);
        assertThat(most).as("requests out at once").isEqualTo(3);
    }
}
