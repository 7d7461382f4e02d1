package org.edgesplit.core.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.core.topics.Topics;

/** Creates EdgeSplit's topics on a cluster when they are missing. */
public final class TopicAdmin {
    private static final long TIMEOUT_S = 60;
    private static final long LEADER_POLL_MS = 50;

    private TopicAdmin() {}

    /** Creates every missing topic of the registry, with its partitions and cleanup policy. */
    public static void ensureTopics(KafkaSettings kafka, Topics topics, short replicationFactor) {
        ensureTopics(kafka, topics.all(), replicationFactor);
    }

    /**
     * Waits until every partition of new topics has a leader: producers that send before that were
     * seen to hit NOT_LEADER_OR_FOLLOWER and then retry out-of-order sequences for minutes.
     */
    private static void awaitLeaders(Admin admin, List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (true) {
            var described =
                    admin.describeTopics(names).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
            boolean ready =
                    described.values().stream()
                            .allMatch(
                                    d ->
                                            d.partitions().stream()
                                                    .allMatch(
                                                            p ->
                                                                    p.leader() != null
                                                                            && !p.leader()
                                                                                    .isEmpty()));
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(
                        "partitions of " + names + " have no leader after " + TIMEOUT_S + " s");
            }
            Thread.sleep(LEADER_POLL_MS);
        }
    }

    public static void ensureTopics(
            KafkaSettings kafka, List<Topic<?>> wanted, short replicationFactor) {
        try (Admin admin = Admin.create(kafka.common())) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?> topic : wanted) {
                if (!existing.contains(topic.name())) {
                    missing.add(topic.newTopic(replicationFactor));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot create topics on " + kafka.bootstrapServers() + ": " + e.getMessage(),
                    e);
        }
    }
}
