package org.edgesplit.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.edgesplit.avro.ClassScore;
import org.edgesplit.avro.EdgeTimings;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.core.codec.FeatureCodec;
import org.edgesplit.core.model.Device;
import org.edgesplit.core.model.ModelBundle;
import org.edgesplit.core.model.ModelCatalog;
import org.edgesplit.core.model.SessionConfig;
import org.edgesplit.core.model.SharedBundles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes frames and runs decoder + tail in ONNX Runtime, micro-batched across UEs.
 *
 * <p>Runs under Flink's async I/O operator: its capacity bounds the frames in flight (overload
 * becomes back-pressure on Kafka), and it checkpoints in-flight frames and re-submits them on
 * restore, so no frame is lost; with the exactly-once sink none is answered twice.
 */
public final class TailInference extends RichAsyncFunction<FrameEnvelope, InferenceOutcome> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TailInference.class);
    static final int TOP_K = 3;
    private static final int HISTOGRAM_WINDOW = 1024;

    private final String modelsDir;
    private final int maxBatch;
    private final long maxWaitMicros;
    private final Device device;
    private final int intraOpThreads;

    private transient Map<String, SharedBundles.Lease> leases;
    private transient MicroBatcher<Job> batcher;
    private transient String worker;
    private transient Counter framesOut;
    private transient Histogram batchSize;
    private transient Histogram queueWaitMicros;
    private transient Histogram decodeMicros;
    private transient Histogram tailMicros;
    private transient Histogram endToEndMs;
    private transient volatile Throwable crash;

    /** A frame and where its answer goes. */
    record Job(FrameEnvelope envelope, ResultFuture<InferenceOutcome> future) {}

    public TailInference(
            String modelsDir, int maxBatch, long maxWaitMicros, Device device, int intraOpThreads) {
        this.modelsDir = modelsDir;
        this.maxBatch = maxBatch;
        this.maxWaitMicros = maxWaitMicros;
        this.device = device;
        this.intraOpThreads = intraOpThreads;
    }

    @Override
    public void open(OpenContext context) {
        worker = getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks();
        SessionConfig config = new SessionConfig(device, gpuIndex(), intraOpThreads);
        ModelCatalog catalog = ModelCatalog.load(Path.of(modelsDir));
        leases = new HashMap<>();
        for (String modelId : catalog.modelIds()) {
            SharedBundles.Lease lease = SharedBundles.acquire(catalog.dir(modelId), config);
            leases.put(modelId, lease);
            warmUp(lease.bundle());
        }
        var metrics = getRuntimeContext().getMetricGroup();
        framesOut = metrics.counter("framesOut");
        batchSize =
                metrics.histogram(
                        "batchSize", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        queueWaitMicros =
                metrics.histogram(
                        "queueWaitMicros", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        decodeMicros =
                metrics.histogram(
                        "decodeMicros", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        tailMicros =
                metrics.histogram(
                        "tailMicros", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        endToEndMs =
                metrics.histogram(
                        "endToEndMs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        batcher =
                new MicroBatcher<>(
                        "micro-batcher-"
                                + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        maxBatch,
                        TimeUnit.MICROSECONDS.toNanos(maxWaitMicros),
                        job -> MicroBatcher.BatchKey.of(job.envelope().frame),
                        this::runBatch,
                        t -> {
                            LOG.error("micro-batcher thread died", t);
                            crash = t;
                        });
        LOG.info(
                "{}: tail inference on {} (max batch {}, max wait {} us, models {})",
                worker,
                leases.values().iterator().next().bundle().device(),
                maxBatch,
                maxWaitMicros,
                leases.keySet());
    }

    /** The GPU Flink assigned to this task manager, if external resources are configured. */
    private int gpuIndex() {
        if (device != Device.CUDA) {
            return 0;
        }
        Set<ExternalResourceInfo> gpus = getRuntimeContext().getExternalResourceInfos("gpu");
        for (ExternalResourceInfo gpu : gpus) {
            Optional<String> index = gpu.getProperty("index");
            if (index.isPresent()) {
                LOG.info(
                        "using GPU {} assigned by Flink's external-resource framework",
                        index.get());
                return Integer.parseInt(index.get().trim());
            }
        }
        LOG.info("no GPU assigned through external-resource.gpu; using CUDA device 0");
        return 0;
    }

    /** One call per session so the first real frame does not pay ONNX Runtime's lazy set-up. */
    private static void warmUp(ModelBundle bundle) {
        for (int point : bundle.splitPoints()) {
            for (var level : bundle.point(point).orElseThrow().levels()) {
                bundle.runTail(point, level.bits(), new float[bundle.codeElements(point)], 1);
            }
        }
    }

    @Override
    public void asyncInvoke(FrameEnvelope envelope, ResultFuture<InferenceOutcome> future) {
        if (crash != null) {
            throw new IllegalStateException("micro-batcher failed", crash);
        }
        batcher.submit(new Job(envelope, future));
    }

    @Override
    public void timeout(FrameEnvelope envelope, ResultFuture<InferenceOutcome> future) {
        future.complete(
                Collections.singletonList(
                        InferenceOutcome.failed(
                                DeadLetters.of(
                                        envelope,
                                        RejectReason.INFERENCE_TIMEOUT,
                                        "no answer from the model within the async timeout"))));
    }

    private void runBatch(MicroBatcher.BatchKey key, List<MicroBatcher.Pending<Job>> batch) {
        long startNanos = System.nanoTime();
        int n = batch.size();
        try {
            ModelBundle bundle = leases.get(key.modelId()).bundle();
            int per = bundle.codeElements(key.splitPoint());
            float[] codes = new float[n * per];
            for (int i = 0; i < n; i++) {
                FeatureFrame f = batch.get(i).item().envelope().frame;
                FeatureCodec.decode(f.getCodec(), f.getPayload().duplicate(), codes, i * per);
            }
            long decodedNanos = System.nanoTime();
            float[] logits = bundle.runTail(key.splitPoint(), key.bits(), codes, n);
            long doneNanos = System.nanoTime();
            long outMs = System.currentTimeMillis();
            double decodeMs = (decodedNanos - startNanos) / 1e6 / n;
            double tailMs = (doneNanos - decodedNanos) / 1e6;
            batchSize.update(n);
            decodeMicros.update((long) (decodeMs * 1000));
            tailMicros.update((long) (tailMs * 1000));
            int classes = bundle.classes();
            for (int i = 0; i < n; i++) {
                MicroBatcher.Pending<Job> p = batch.get(i);
                FrameEnvelope env = p.item().envelope();
                double queueMs = (startNanos - p.enqueuedNanos()) / 1e6;
                queueWaitMicros.update((long) (queueMs * 1000));
                InferenceResult result =
                        result(
                                env,
                                logits,
                                i * classes,
                                classes,
                                key.bits(),
                                new EdgeTimings(queueMs, decodeMs, tailMs, n),
                                outMs);
                endToEndMs.update(outMs - env.frame.getCaptureTimeMs());
                framesOut.inc();
                p.item().future().complete(Collections.singletonList(InferenceOutcome.of(result)));
            }
        } catch (RuntimeException e) {
            LOG.warn("a batch of {} frames for {} failed: {}", n, key, e.toString());
            for (MicroBatcher.Pending<Job> p : batch) {
                p.item()
                        .future()
                        .complete(
                                Collections.singletonList(
                                        InferenceOutcome.failed(
                                                DeadLetters.of(
                                                        p.item().envelope(),
                                                        RejectReason.INFERENCE_FAILED,
                                                        "model call failed: " + e))));
            }
        }
    }

    private InferenceResult result(
            FrameEnvelope env,
            float[] logits,
            int from,
            int classes,
            int bits,
            EdgeTimings timings,
            long outMs) {
        FeatureFrame f = env.frame;
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[from + c]);
        }
        double sum = 0;
        float[] probs = new float[classes];
        for (int c = 0; c < classes; c++) {
            probs[c] = (float) Math.exp(logits[from + c] - max);
            sum += probs[c];
        }
        List<ClassScore> top = new ArrayList<>(TOP_K);
        boolean[] taken = new boolean[classes];
        for (int k = 0; k < Math.min(TOP_K, classes); k++) {
            int best = -1;
            for (int c = 0; c < classes; c++) {
                if (!taken[c] && (best < 0 || probs[c] > probs[best])) {
                    best = c;
                }
            }
            taken[best] = true;
            top.add(new ClassScore(best, (float) (probs[best] / sum)));
        }
        return InferenceResult.newBuilder()
                .setUeId(f.getUeId())
                .setSeq(f.getSeq())
                .setModelId(f.getModelId())
                .setSplitPoint(f.getSplitPoint())
                .setBits(bits)
                .setPlanEpoch(f.getPlanEpoch())
                .setPredictedClass(top.get(0).getClassIndex())
                .setTopK(top)
                .setTimings(timings)
                .setCaptureTimeMs(f.getCaptureTimeMs())
                .setJobInTimeMs(env.jobInTimeMs)
                .setJobOutTimeMs(outMs)
                .setWorker(worker)
                .build();
    }

    @Override
    public void close() {
        if (batcher != null) {
            batcher.close();
        }
        if (leases != null) {
            leases.values().forEach(SharedBundles.Lease::close);
        }
    }
}
