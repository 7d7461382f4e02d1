package org.edgesplit.core.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The manifests of every bundle under a folder, by model id: what the edge accepts, without opening
 * any ONNX session. A folder that itself holds a manifest is a catalog of one.
 */
public final class ModelCatalog {
    private final Map<String, Manifest> manifests;
    private final Map<String, Path> dirs;

    private ModelCatalog(Map<String, Manifest> manifests, Map<String, Path> dirs) {
        this.manifests = manifests;
        this.dirs = dirs;
    }

    public static ModelCatalog load(Path root) {
        Map<String, Manifest> manifests = new LinkedHashMap<>();
        Map<String, Path> dirs = new LinkedHashMap<>();
        if (!Files.isDirectory(root)) {
            throw new BundleException("model folder " + root.toAbsolutePath() + " does not exist");
        }
        try (Stream<Path> children =
                Files.isRegularFile(root.resolve(ModelBundle.MANIFEST))
                        ? Stream.of(root)
                        : Files.list(root).sorted()) {
            for (Path dir : (Iterable<Path>) children::iterator) {
                Path file = dir.resolve(ModelBundle.MANIFEST);
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                Manifest m = Manifest.read(file);
                if (manifests.putIfAbsent(m.modelId(), m) != null) {
                    throw new BundleException(
                            "two bundles under " + root + " claim model id " + m.modelId());
                }
                dirs.put(m.modelId(), dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model bundles under " + root, e);
        }
        if (manifests.isEmpty()) {
            throw new BundleException(
                    "no model bundle (a folder with "
                            + ModelBundle.MANIFEST
                            + ") under "
                            + root.toAbsolutePath());
        }
        return new ModelCatalog(manifests, dirs);
    }

    public Optional<Manifest> manifest(String modelId) {
        return Optional.ofNullable(manifests.get(modelId));
    }

    public Path dir(String modelId) {
        Path dir = dirs.get(modelId);
        if (dir == null) {
            throw new IllegalArgumentException(
                    "unknown model " + modelId + "; known: " + manifests.keySet());
        }
        return dir;
    }

    public java.util.Set<String> modelIds() {
        return manifests.keySet();
    }
}
