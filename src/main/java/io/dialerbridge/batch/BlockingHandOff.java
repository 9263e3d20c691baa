package io.dialerbridge.batch;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What the pool of batch senders does when all of its senders are busy and its queue is full: the thread
 * that hands over the next batch (the file's splitter, a Kafka consumer) waits for a place in the queue,
 * instead of sending the batch itself (CallerRuns). With CallerRuns the hand-over thread was busy for a
 * whole round trip to the dialer: meanwhile the senders emptied the queue and slots stood idle, and a
 * Kafka consumer neither polled nor committed. Waiting keeps exactly the pool's senders busy and frees the
 * hand-over thread as soon as one batch is done.
 *
 * <p>A sender of the pool that hands over work to its own pool (Camel may run a splitter's next step on
 * one) still runs it itself, since waiting there could wait for itself.
 */
public final class BlockingHandOff implements RejectedExecutionHandler {

    private final Set<Thread> senders = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** Makes the pool hand over with this policy; any other executor is returned unchanged. */
    public static ExecutorService applyTo(ExecutorService pool) {
        if (pool instanceof ThreadPoolExecutor executor) {
            BlockingHandOff handOff = new BlockingHandOff();
            ThreadFactory threads = executor.getThreadFactory();
            executor.setThreadFactory(task -> {
                Thread thread = threads.newThread(task);
                handOff.senders.add(thread);
                return thread;
            });
            executor.setRejectedExecutionHandler(handOff);
        }
        return pool;
    }

    @Override
    public void rejectedExecution(Runnable task, ThreadPoolExecutor executor) {
        if (senders.contains(Thread.currentThread())) {
            if (!executor.isShutdown()) {
                task.run();
                return;
            }
            throw new RejectedExecutionException("the batch senders are shut down");
        }
        try {
            while (!executor.getQueue().offer(task, 100, TimeUnit.MILLISECONDS)) {
                if (executor.isShutdown()) {
                    throw new RejectedExecutionException("the batch senders are shut down");
                }
            }
            if (executor.isShutdown() && executor.getQueue().remove(task)) {
                throw new RejectedExecutionException("the batch senders are shut down");
            }
            if (executor.getPoolSize() == 0) {
                executor.prestartCoreThread(); // every sender timed out meanwhile: one takes the queue again
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for a batch sender", e);
        }
    }
}
