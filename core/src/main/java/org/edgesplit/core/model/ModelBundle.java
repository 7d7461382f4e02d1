package org.edgesplit.core.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.edgesplit.core.codec.FeatureCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trained split model on disk, opened in ONNX Runtime: head + encoder for the UE, decoder + tail
 * for the edge, and the full model for local-only inference.
 *
 * <p>Loading verifies every file's SHA-256 and every model's input/output names and shapes against
 * the manifest, so a bundle that was edited or mixed up refuses to load rather than answering
 * wrongly. Sessions are thread-safe; one bundle serves all threads of a process.
 */
public final class ModelBundle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelBundle.class);
    public static final String MANIFEST = "manifest.json";
    static final String IMAGE = "image";
    static final String CODE = "code";
    static final String LOGITS = "logits";

    private final Path dir;
    private final Manifest manifest;
    private final SessionConfig config;
    private final Device effectiveDevice;
    private final Map<String, OrtSession> sessions = new LinkedHashMap<>();
    private final Map<Integer, Manifest.Point> points = new LinkedHashMap<>();
    private final int[] inputShape;
    private final int inputElements;

    private ModelBundle(Path dir, Manifest manifest, SessionConfig config) {
        this.dir = dir;
        this.manifest = manifest;
        this.config = config;
        this.inputShape = manifest.input().shape().stream().mapToInt(Integer::intValue).toArray();
        this.inputElements = Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
        for (Manifest.Point p : manifest.points()) {
            points.put(p.point(), p);
        }
        this.effectiveDevice = openAll();
    }

    public static ModelBundle load(Path dir) {
        return load(dir, SessionConfig.cpu());
    }

    public static ModelBundle load(Path dir, SessionConfig config) {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new BundleException(
                    "no " + MANIFEST + " in model bundle folder " + dir.toAbsolutePath());
        }
        Manifest manifest;
        try {
            manifest = Manifest.read(manifestFile);
        } catch (IOException e) {
            throw new BundleException("cannot parse " + manifestFile + ": " + e.getMessage(), e);
        }
        checkManifest(manifest, manifestFile);
        ModelBundle bundle = new ModelBundle(dir, manifest, config);
        LOG.info(
                "loaded model bundle {} from {} on {} ({} sessions)",
                manifest.modelId(),
                dir,
                bundle.effectiveDevice,
                bundle.sessions.size());
        return bundle;
    }

    public String modelId() {
        return manifest.modelId();
    }

    public Manifest manifest() {
        return manifest;
    }

    public Path dir() {
        return dir;
    }

    /** The device sessions actually run on (CPU after a CUDA fallback). */
    public Device device() {
        return effectiveDevice;
    }

    /** The local-only point: the UE runs the whole model and sends nothing. */
    public int localPoint() {
        return manifest.localPoint();
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    public int inputElements() {
        return inputElements;
    }

    public int classes() {
        return manifest.classNames().size();
    }

    /** Points at which a frame is sent to the edge (0 = raw input, 1..K = after a block). */
    public List<Integer> splitPoints() {
        return List.copyOf(points.keySet());
    }

    public Optional<Manifest.Point> point(int point) {
        return Optional.ofNullable(points.get(point));
    }

    public Optional<Manifest.Level> level(int point, int bits) {
        Manifest.Point p = points.get(point);
        if (p == null) {
            return Optional.empty();
        }
        return p.levels().stream().filter(l -> l.bits() == bits).findFirst();
    }

    public int[] codeShape(int point) {
        return requirePoint(point).codeShape().stream().mapToInt(Integer::intValue).toArray();
    }

    public int codeElements(int point) {
        return Arrays.stream(codeShape(point)).reduce(1, (a, b) -> a * b);
    }

    /** Runs head + encoder of {@code point} (1..K) on a batch of images in [0,1]; returns codes. */
    public float[] runHead(int point, float[] images, int batch) {
        Manifest.Point p = requirePoint(point);
        if (p.head() == null) {
            throw new IllegalArgumentException(
                    "point " + point + " has no head (the UE sends the raw input)");
        }
        return run(p.head().file(), IMAGE, images, batch, inputShape, codeElements(point));
    }

    /**
     * Runs head + encoder with the weights of a bits level (a level may fine-tune its own head).
     */
    public float[] runHead(int point, int bits, float[] images, int batch) {
        Manifest.Level level = requireLevel(point, bits);
        if (level.head() == null) {
            return runHead(point, images, batch);
        }
        return run(level.head().file(), IMAGE, images, batch, inputShape, codeElements(point));
    }

    /** Runs decoder + tail of (point, bits) on a batch of dequantized codes; returns logits. */
    public float[] runTail(int point, int bits, float[] codes, int batch) {
        Manifest.Point p = requirePoint(point);
        Manifest.Level level = requireLevel(point, bits);
        String file = level.tail() != null ? level.tail().file() : p.tail().file();
        return run(file, CODE, codes, batch, codeShape(point), classes());
    }

    /** Runs the whole model on a batch of images in [0,1]; returns logits. */
    public float[] runFull(float[] images, int batch) {
        return run(manifest.full().file(), IMAGE, images, batch, inputShape, classes());
    }

    /** Runs one of the bundle's ONNX files on a tensor of the given shape (batch first). */
    public float[] runFile(String file, float[] data, int[] shape) {
        OrtSession session = sessions.get(file);
        if (session == null) {
            throw new IllegalArgumentException("the bundle has no ONNX file " + file);
        }
        String input = session.getInputNames().iterator().next();
        int batch = shape[0];
        int[] item = Arrays.copyOfRange(shape, 1, shape.length);
        long outPerItem;
        try {
            long[] outShape =
                    ((TensorInfo) session.getOutputInfo().values().iterator().next().getInfo())
                            .getShape();
            outPerItem = Arrays.stream(outShape).skip(1).reduce(1, (a, b) -> a * b);
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        return run(file, input, data, batch, item, (int) outPerItem);
    }

    /** Quantizes and packs one frame's code with the level's clip range. */
    public FeatureCodec.Encoded encode(int point, int bits, float[] code) {
        Manifest.Level level = requireLevel(point, bits);
        return FeatureCodec.encode(
                code, codeShape(point), bits, (float) level.clipMin(), (float) level.clipMax());
    }

    private Manifest.Point requirePoint(int point) {
        Manifest.Point p = points.get(point);
        if (p == null) {
            throw new IllegalArgumentException(
                    "model "
                            + modelId()
                            + " has no split point "
                            + point
                            + "; it has "
                            + points.keySet());
        }
        return p;
    }

    private Manifest.Level requireLevel(int point, int bits) {
        return level(point, bits)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "model "
                                                + modelId()
                                                + " point "
                                                + point
                                                + " has no "
                                                + bits
                                                + "-bit level"));
    }

    private float[] run(
            String file,
            String inputName,
            float[] data,
            int batch,
            int[] itemShape,
            int outPerItem) {
        int perItem = Arrays.stream(itemShape).reduce(1, (a, b) -> a * b);
        if (batch < 1 || data.length < (long) batch * perItem) {
            throw new IllegalArgumentException(
                    "batch of "
                            + batch
                            + " needs "
                            + (long) batch * perItem
                            + " values, got "
                            + data.length);
        }
        long[] shape = new long[itemShape.length + 1];
        shape[0] = batch;
        for (int i = 0; i < itemShape.length; i++) {
            shape[i + 1] = itemShape[i];
        }
        OrtSession session = sessions.get(file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor input =
                        OnnxTensor.createTensor(
                                env, FloatBuffer.wrap(data, 0, batch * perItem), shape);
                OrtSession.Result result = session.run(Map.of(inputName, input))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            FloatBuffer buffer = out.getFloatBuffer();
            float[] values = new float[batch * outPerItem];
            buffer.get(values);
            return values;
        } catch (OrtException e) {
            throw new IllegalStateException(
                    "ONNX Runtime failed on " + file + ": " + e.getMessage(), e);
        }
    }

    private Device openAll() {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Device device = config.device();
        try {
            Manifest.Full full = manifest.full();
            device = open(env, full.onnx(), device);
            checkIo(full.file(), IMAGE, inputShape, classes());
            for (Manifest.Point p : manifest.points()) {
                int[] code = p.codeShape().stream().mapToInt(Integer::intValue).toArray();
                if (p.head() != null) {
                    device = open(env, p.head(), device);
                    checkIo(p.head().file(), IMAGE, inputShape, -1);
                    checkOutputShape(p.head().file(), CODE, code);
                }
                if (p.tail() != null) {
                    device = open(env, p.tail(), device);
                    checkIo(p.tail().file(), CODE, code, classes());
                }
                for (Manifest.Level level : p.levels()) {
                    if (level.head() != null) {
                        device = open(env, level.head(), device);
                        checkIo(level.head().file(), IMAGE, inputShape, -1);
                        checkOutputShape(level.head().file(), CODE, code);
                    }
                    if (level.tail() != null) {
                        device = open(env, level.tail(), device);
                        checkIo(level.tail().file(), CODE, code, classes());
                    }
                    if (p.tail() == null && level.tail() == null) {
                        throw new BundleException(
                                "point "
                                        + p.point()
                                        + " "
                                        + level.bits()
                                        + "-bit level has no tail");
                    }
                }
            }
            return device;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Device open(OrtEnvironment env, Manifest.OnnxFile onnx, Device device) {
        if (sessions.containsKey(onnx.file())) {
            return device;
        }
        Path file = dir.resolve(onnx.file());
        verifyHash(file, onnx.sha256());
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(config.intraOpThreads());
            options.setInterOpNumThreads(1);
            // Spinning threads of several sessions fight over few cores (seen: batch 64 at 66 ms vs
            // 38 ms).
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (device == Device.CUDA) {
                try {
                    options.addCUDA(config.deviceId());
                } catch (OrtException | RuntimeException e) {
                    LOG.warn(
                            "CUDA was asked for but ONNX Runtime's CUDA provider is not available ({}); "
                                    + "falling back to CPU",
                            e.getMessage());
                    device = Device.CPU;
                }
            }
            sessions.put(onnx.file(), env.createSession(file.toString(), options));
            return device;
        } catch (OrtException e) {
            throw new BundleException(
                    "ONNX Runtime cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    private void checkIo(String file, String inputName, int[] inputItemShape, int classes) {
        OrtSession s = sessions.get(file);
        try {
            Map<String, NodeInfo> inputs = s.getInputInfo();
            if (inputs.size() != 1 || !inputs.containsKey(inputName)) {
                throw new BundleException(
                        file
                                + " must have one input named '"
                                + inputName
                                + "', has "
                                + inputs.keySet());
            }
            checkShape(
                    file,
                    inputName,
                    ((TensorInfo) inputs.get(inputName).getInfo()).getShape(),
                    inputItemShape);
            if (classes > 0) {
                checkOutputShape(file, LOGITS, new int[] {classes});
            }
        } catch (OrtException e) {
            throw new BundleException("cannot read the inputs of " + file, e);
        }
    }

    private void checkOutputShape(String file, String outputName, int[] itemShape) {
        try {
            Map<String, NodeInfo> outputs = sessions.get(file).getOutputInfo();
            if (outputs.size() != 1 || !outputs.containsKey(outputName)) {
                throw new BundleException(
                        file
                                + " must have one output named '"
                                + outputName
                                + "', has "
                                + outputs.keySet());
            }
            checkShape(
                    file,
                    outputName,
                    ((TensorInfo) outputs.get(outputName).getInfo()).getShape(),
                    itemShape);
        } catch (OrtException e) {
            throw new BundleException("cannot read the outputs of " + file, e);
        }
    }

    private static void checkShape(String file, String name, long[] actual, int[] itemShape) {
        boolean ok = actual.length == itemShape.length + 1;
        for (int i = 0; ok && i < itemShape.length; i++) {
            ok = actual[i + 1] == itemShape[i];
        }
        if (!ok) {
            throw new BundleException(
                    String.format(
                            "%s: '%s' has shape %s but the manifest says [batch, %s]",
                            file,
                            name,
                            Arrays.toString(actual),
                            Arrays.toString(itemShape).replaceAll("[\\[\\]]", "")));
        }
    }

    static void verifyHash(Path file, String expected) {
        if (!Files.isRegularFile(file)) {
            throw new BundleException(
                    "the manifest names "
                            + file.getFileName()
                            + " but "
                            + file
                            + " does not exist");
        }
        String actual = sha256(file);
        if (expected == null || !actual.equalsIgnoreCase(expected)) {
            throw new BundleException(
                    String.format(
                            "%s has SHA-256 %s but the manifest says %s: the bundle was modified or mixed up",
                            file, actual, expected));
        }
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new BundleException("cannot hash " + file + ": " + e.getMessage(), e);
        }
    }

    private static void checkManifest(Manifest m, Path file) {
        if (m.modelId() == null
                || m.input() == null
                || m.full() == null
                || m.points() == null
                || m.classNames() == null
                || m.points().isEmpty()) {
            throw new BundleException(file + " lacks model_id, input, full, class_names or points");
        }
        for (Manifest.Point p : m.points()) {
            if (p.point() < 0 || p.point() >= m.localPoint()) {
                throw new BundleException(
                        file + ": point " + p.point() + " is outside 0.." + (m.localPoint() - 1));
            }
            if (p.codeShape() == null || p.levels() == null || p.levels().isEmpty()) {
                throw new BundleException(
                        file + ": point " + p.point() + " lacks code_shape or levels");
            }
        }
    }

    @Override
    public void close() {
        for (OrtSession s : sessions.values()) {
            try {
                s.close();
            } catch (OrtException e) {
                LOG.warn("closing an ONNX session failed: {}", e.getMessage());
            }
        }
        sessions.clear();
    }
}
