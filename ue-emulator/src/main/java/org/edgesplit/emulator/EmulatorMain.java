package org.edgesplit.emulator;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.edgesplit.core.kafka.EmbeddedKafka;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.jobs.EdgeJobOptions;

/** {@code ./edgesplit emulate}: N emulated UEs against Kafka (an embedded broker by default). */
public final class EmulatorMain {
    private EmulatorMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(
                    "./edgesplit emulate [options]\n"
                            + EdgeJobOptions.help(EmulatorOptions.OPTIONS));
            return;
        }
        EmulatorOptions options;
        try {
            options = EmulatorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("emulate: " + e.getMessage());
            System.exit(2);
            return;
        }
        EmbeddedKafka broker = null;
        try {
            KafkaSettings kafka;
            if (options.embeddedKafka()) {
                broker = EmbeddedKafka.start();
                System.out.println("Embedded Kafka broker (KRaft) at " + broker.bootstrapServers());
                kafka = options.kafka(broker.bootstrapServers());
            } else {
                kafka = options.kafka(options.bootstrapServers());
            }
            EmulatorRunner runner = new EmulatorRunner(options, kafka, System.out, s -> s);
            CountDownLatch finished = new CountDownLatch(1);
            Thread hook =
                    new Thread(
                            () -> {
                                runner.requestStop();
                                try {
                                    finished.await(30, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            });
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                runner.run();
            } catch (IllegalArgumentException e) {
                System.err.println("emulate: " + e.getMessage());
                System.exit(2);
            } finally {
                finished.countDown();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }
}
