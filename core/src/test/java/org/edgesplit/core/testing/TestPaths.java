package org.edgesplit.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the repository's shipped files, whatever module they run from. */
public final class TestPaths {
    private TestPaths() {}

    /**
     * The repository root: the nearest folder above the working directory holding models/bundles.
     */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("models").resolve("bundles"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no models/bundles above " + Path.of("").toAbsolutePath());
    }

    /** The model bundles folder (override with -Dedgesplit.models=...). */
    public static Path modelsDir() {
        String override = System.getProperty("edgesplit.models");
        return override != null
                ? Path.of(override)
                : repoRoot().resolve("models").resolve("bundles");
    }

    /** The trained Fashion-MNIST bundle. */
    public static Path fmnistBundle() {
        return modelsDir().resolve("fmnist-resnet");
    }
}
