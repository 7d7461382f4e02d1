package org.edgesplit.core.model;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Bundles shared by every user in one process (one Flink TaskManager, one emulator): ONNX sessions
 * are thread-safe and large, so parallel subtasks take a lease on one copy, and the last lease to
 * close closes the sessions.
 */
public final class SharedBundles {
    private record Key(Path dir, SessionConfig config) {}

    private static final class Entry {
        final ModelBundle bundle;
        int leases;

        Entry(ModelBundle bundle) {
            this.bundle = bundle;
        }
    }

    private static final Map<Key, Entry> OPEN = new HashMap<>();

    private SharedBundles() {}

    /** A lease on a bundle; closing it releases the bundle. */
    public static final class Lease implements AutoCloseable {
        private final Key key;
        private final ModelBundle bundle;
        private boolean closed;

        private Lease(Key key, ModelBundle bundle) {
            this.key = key;
            this.bundle = bundle;
        }

        public ModelBundle bundle() {
            return bundle;
        }

        @Override
        public void close() {
            synchronized (OPEN) {
                if (closed) {
                    return;
                }
                closed = true;
                Entry e = OPEN.get(key);
                if (e != null && --e.leases == 0) {
                    OPEN.remove(key);
                    e.bundle.close();
                }
            }
        }
    }

    public static Lease acquire(Path dir, SessionConfig config) {
        Key key = new Key(dir.toAbsolutePath().normalize(), config);
        synchronized (OPEN) {
            Entry e =
                    OPEN.computeIfAbsent(
                            key, k -> new Entry(ModelBundle.load(k.dir(), k.config())));
            e.leases++;
            return new Lease(key, e.bundle);
        }
    }
}
