package org.edgesplit.jobs.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.kafka.TopicAdmin;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.jobs.EdgeJobOptions;

/**
 * {@code ./edgesplit topics}: creates EdgeSplit's missing topics from the registry on an existing
 * cluster, configured like every other client (bootstrap servers plus a properties file).
 */
public final class TopicsMain {
    static final List<EdgeJobOptions.Option> OPTIONS =
            List.of(
                    new EdgeJobOptions.Option(
                            "bootstrap-servers", "127.0.0.1:9092", "Kafka bootstrap servers."),
                    new EdgeJobOptions.Option(
                            "kafka-properties",
                            "",
                            "Java properties file passed to the Kafka admin client (TLS, SASL, ...)."),
                    new EdgeJobOptions.Option(
                            "topic-prefix",
                            Topics.DEFAULT_PREFIX,
                            "Prefix of every EdgeSplit topic."),
                    new EdgeJobOptions.Option(
                            "replication-factor", "1", "Replication factor of new topics."));

    private TopicsMain() {}

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("./edgesplit topics [options]\n" + EdgeJobOptions.help(OPTIONS));
            return;
        }
        Map<String, String> o = EdgeJobOptions.parseArgs(args, OPTIONS);
        KafkaSettings kafka =
                KafkaSettings.of(
                        o.get("bootstrap-servers"),
                        o.get("kafka-properties").isEmpty()
                                ? null
                                : Path.of(o.get("kafka-properties")));
        Topics topics = new Topics(o.get("topic-prefix"));
        TopicAdmin.ensureTopics(kafka, topics, Short.parseShort(o.get("replication-factor")));
        for (Topic<?> t : topics.all()) {
            System.out.printf(
                    "%-28s %d partitions%s%n",
                    t.name(), t.partitions(), ", cleanup " + t.cleanupPolicy());
        }
    }
}
