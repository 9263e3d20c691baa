package io.dialerbridge.batch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(20)
class BlockingHandOffTest {

    private final ThreadPoolExecutor pool = (ThreadPoolExecutor) BlockingHandOff.applyTo(
            new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1)));

    @Test
    void a_full_pool_makes_the_hand_over_wait_instead_of_running_the_task_itself() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        pool.execute(() -> waitFor(release));
        pool.execute(() -> { });                       // the queue's one place
        Thread handOver = new Thread(() -> pool.execute(() -> ranOn.set(Thread.currentThread())));
        handOver.start();
        await().alias("the hand-over waits for a place").until(() -> handOver.getState() == Thread.State.TIMED_WAITING);
        assertThat(ranOn.get()).isNull();
        release.countDown();
        handOver.join();
        await().alias("the task ran on the pool").until(() -> ranOn.get() != null);
        assertThat(ranOn.get()).isNotSameAs(handOver);
        pool.shutdown();
    }

    @Test
    void a_sender_handing_over_to_its_own_full_pool_runs_the_task_itself() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(() -> waitFor(release));
        pool.execute(() -> { });
        pool.shutdown();
        ThreadPoolExecutor nested = (ThreadPoolExecutor) BlockingHandOff.applyTo(
                new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1)));
        CompletableFuture<Thread> inner = new CompletableFuture<>();
        nested.execute(() -> {
            nested.execute(() -> waitFor(release));      // takes the queue's place
            Thread self = Thread.currentThread();
            nested.execute(() -> inner.complete(Thread.currentThread()));   // full: runs here
            assertThat(inner.getNow(null)).isSameAs(self);
        });
        assertThat(inner.get(10, TimeUnit.SECONDS)).isNotNull();
        release.countDown();
        nested.shutdown();
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
