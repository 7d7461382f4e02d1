package org.edgesplit.jobs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.edgesplit.avro.FeatureFrame;

/**
 * Groups submitted frames that can share one model call — same model, split point and bits, so the
 * same code shape and ONNX session — and releases a group when it reaches the maximum batch size or
 * its oldest frame has waited the maximum wait. One thread per edge subtask runs the batches, so
 * model calls never compete within a subtask and parallelism scales the edge.
 */
final class MicroBatcher<T> implements AutoCloseable {
    /** Frames that may go into one model call. */
    record BatchKey(String modelId, int splitPoint, int bits) {
        static BatchKey of(FeatureFrame f) {
            return new BatchKey(f.getModelId(), f.getSplitPoint(), f.getCodec().getBits());
        }
    }

    /** A frame waiting for its batch, with when it was enqueued. */
    record Pending<T>(T item, long enqueuedNanos) {}

    private final int maxBatch;
    private final long maxWaitNanos;
    private final java.util.function.Function<T, BatchKey> keyOf;
    private final java.util.function.BiConsumer<BatchKey, List<Pending<T>>> runBatch;
    private final LinkedBlockingQueue<Pending<T>> inbox = new LinkedBlockingQueue<>();
    private final Map<BatchKey, ArrayDeque<Pending<T>>> groups = new LinkedHashMap<>();
    private final Thread thread;
    private final Consumer<Throwable> onCrash;
    private volatile boolean running = true;

    MicroBatcher(
            String name,
            int maxBatch,
            long maxWaitNanos,
            java.util.function.Function<T, BatchKey> keyOf,
            java.util.function.BiConsumer<BatchKey, List<Pending<T>>> runBatch,
            Consumer<Throwable> onCrash) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be >= 1, got " + maxBatch);
        }
        if (maxWaitNanos < 0) {
            throw new IllegalArgumentException("max wait must be >= 0");
        }
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWaitNanos;
        this.keyOf = keyOf;
        this.runBatch = runBatch;
        this.onCrash = onCrash;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void submit(T item) {
        inbox.add(new Pending<>(item, System.nanoTime()));
    }

    private void loop() {
        try {
            while (running) {
                Pending<T> first = inbox.poll(nextDeadlineNanos(), TimeUnit.NANOSECONDS);
                if (first != null) {
                    add(first);
                    // Take whatever else arrived meanwhile without blocking.
                    for (Pending<T> p; (p = inbox.poll()) != null; ) {
                        add(p);
                    }
                }
                releaseDue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            onCrash.accept(t);
        }
    }

    private void add(Pending<T> p) {
        BatchKey key = keyOf.apply(p.item());
        ArrayDeque<Pending<T>> group = groups.computeIfAbsent(key, k -> new ArrayDeque<>());
        group.add(p);
        if (group.size() >= maxBatch) {
            release(key, group);
        }
    }

    private void releaseDue() {
        long now = System.nanoTime();
        List<BatchKey> due = new ArrayList<>();
        groups.forEach(
                (key, group) -> {
                    if (!group.isEmpty()
                            && now - group.peekFirst().enqueuedNanos() >= maxWaitNanos) {
                        due.add(key);
                    }
                });
        for (BatchKey key : due) {
            release(key, groups.get(key));
        }
    }

    private void release(BatchKey key, ArrayDeque<Pending<T>> group) {
        while (!group.isEmpty()) {
            int n = Math.min(maxBatch, group.size());
            List<Pending<T>> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(group.pollFirst());
            }
            runBatch.accept(key, batch);
            if (group.size() < maxBatch) {
                break;
            }
        }
        if (group.isEmpty()) {
            groups.remove(key);
        }
    }

    /** How long to wait for more input: until the oldest pending frame is due, or a while. */
    private long nextDeadlineNanos() {
        long now = System.nanoTime();
        long next = TimeUnit.MILLISECONDS.toNanos(100);
        for (ArrayDeque<Pending<T>> group : groups.values()) {
            if (!group.isEmpty()) {
                next = Math.min(next, group.peekFirst().enqueuedNanos() + maxWaitNanos - now);
            }
        }
        return Math.max(0, next);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
