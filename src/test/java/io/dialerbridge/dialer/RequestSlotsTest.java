package io.dialerbridge.dialer;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestSlotsTest {

    private final DefaultCamelContext context = new DefaultCamelContext();

    private Exchange exchange() {
        return new DefaultExchange(context);
    }

    @Test
    void giving_back_twice_frees_one_slot_and_an_exchange_without_a_slot_frees_none() throws Exception {
        RequestSlots slots = new RequestSlots(2);
        Exchange one = exchange();
        slots.take(one);
        slots.take(one);
        assertThat(slots.inFlight()).isEqualTo(1);
        slots.giveBack(one);
        slots.giveBack(one);
        slots.giveBack(exchange());
        assertThat(slots.inFlight()).isZero();
    }

    @Test
    @Timeout(30)
    void many_senders_never_have_more_than_the_slots_out_and_all_get_through() throws Exception {
        RequestSlots slots = new RequestSlots(3);
        AtomicInteger out = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(8);
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            Random random = new Random(s);
            Thread sender = new Thread(() -> {
                try {
                    for (int request = 0; request < 200; request++) {
                        Exchange exchange = exchange();
                        slots.take(exchange);
                        most.accumulateAndGet(out.incrementAndGet(), Math::max);
                        if (random.nextInt(4) == 0) {
                            Thread.yield();
                        }
                        out.decrementAndGet();
                        slots.giveBack(exchange);
                        if (random.nextBoolean()) {
                            slots.giveBack(exchange);
                        }
                        done.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    finished.countDown();
                }
            });
            senders.add(sender);
            sender.start();
        }
        assertThat(finished.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(done.get()).isEqualTo(8 * 200);
        assertThat(most.get()).isBetween(1, 3);
        assertThat(slots.inFlight()).isZero();
    }

    @Test
    void at_least_one_slot() {
        assertThatThrownBy(() -> new RequestSlots(0)).hasMessageContaining("batch.max-in-flight must be at least 1");
    }
}
