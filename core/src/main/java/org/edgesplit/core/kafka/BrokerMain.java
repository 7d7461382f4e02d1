package org.edgesplit.core.kafka;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;

/**
 * Entry point of the embedded broker's JVM: starts Kafka's own {@code kafka.Kafka} main and exits
 * when its parent goes away (standard input closes), so a killed test or demo never leaves a broker
 * behind.
 */
public final class BrokerMain {
    private BrokerMain() {}

    public static void main(String[] args) throws Exception {
        Thread watchdog =
                new Thread(
                        () -> {
                            try (InputStream in = System.in) {
                                while (in.read() >= 0) {
                                    // Parent still alive; nothing is ever sent.
                                }
                            } catch (Exception ignored) {
                                // A broken pipe means the same as EOF.
                            }
                            Runtime.getRuntime().halt(0);
                        },
                        "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            Class.forName("kafka.Kafka")
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }
}
