package org.edgesplit.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.edgesplit.core.process.LocalProcesses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone Flink session cluster made of real processes: one JobManager JVM and N TaskManager
 * JVMs, started from the Maven-resolved jars in {@code flink.classpath} (what flink-dist's {@code
 * lib/} would hold), with a {@code config.yaml} on free ports. Jobs go in through Flink's REST API,
 * as {@code flink run} or a web UI upload would send them.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
    private static final String CLASSPATH_RESOURCE = "org/edgesplit/jobs/cluster/flink.classpath";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final int LOG_TAIL_LINES = 60;

    /**
     * Java 17 module flags that flink-dist puts in {@code env.java.opts.all}; Flink's shell scripts
     * read that key, so a cluster started without them must pass them itself.
     */
    static final List<String> JAVA17_OPENS =
            List.of(
                    "-XX:+IgnoreUnrecognizedVMOptions",
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /** A JVM of the cluster: its role, its own PID (the JVM's, not a wrapper shell's) and log. */
    public record Node(String name, Process process, Path log) {
        public long pid() {
            return process.pid();
        }
    }

    private final Path dir;
    private final String classpath;
    private final int restPort;
    private final List<String> extraJvmFlags;
    private final List<Node> nodes = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    private LocalCluster(Path dir, String classpath, int restPort, List<String> extraJvmFlags) {
        this.dir = dir;
        this.classpath = classpath;
        this.restPort = restPort;
        this.extraJvmFlags = extraJvmFlags;
    }

    /**
     * Starts a JobManager and {@code taskManagers} TaskManagers with {@code slots} slots each, in
     * {@code dir} (config, logs, checkpoints, savepoints, uploads), and waits until all
     * TaskManagers have registered.
     *
     * @param extraConfig further {@code config.yaml} entries (key to YAML value)
     * @param extraJvmFlags further flags for every JVM (e.g. system properties the job needs)
     */
    public static LocalCluster start(
            Path dir,
            int taskManagers,
            int slots,
            Map<String, String> extraConfig,
            List<String> extraJvmFlags)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("log"));
        Files.createDirectories(dir.resolve("tmp"));
        int restPort = freePort();
        LocalCluster cluster =
                new LocalCluster(dir, flinkClasspath(), restPort, List.copyOf(extraJvmFlags));
        try {
            cluster.writeConfig(freePort(), slots, extraConfig);
            cluster.writeLog4j();
            cluster.startJobManager();
            for (int i = 0; i < taskManagers; i++) {
                cluster.startTaskManager(i);
            }
            cluster.awaitTaskManagers(taskManagers);
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info(
                "Flink cluster up at {} in {} ms: {}",
                cluster.restUrl(),
                (System.nanoTime() - started) / 1_000_000,
                cluster.describe());
        return cluster;
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public Path configDir() {
        return dir.resolve("conf");
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** One line per JVM: role, PID, log. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        for (Node n : nodes) {
            s.append(String.format("%n  %-14s pid %-7d log %s", n.name(), n.pid(), n.log()));
        }
        return s.toString();
    }

    // ---------------------------------------------------------------- REST: what `flink run` does

    /** {@code POST /jars/upload}: returns the id of the uploaded jar. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "----edgesplit" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(URI.create(restUrl() + "/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = answer.path("filename").asText();
        return Paths.get(file).getFileName().toString();
    }

    /**
     * {@code POST /jars/<id>/run}: runs the jar's main class with {@code programArgs} at {@code
     * parallelism}, restoring from {@code savepoint} if not null; returns the job id.
     */
    public String runJar(String jarId, int parallelism, List<String> programArgs, String savepoint)
            throws IOException, InterruptedException {
        ObjectNode request = json.createObjectNode();
        request.putPOJO("programArgsList", programArgs);
        request.put("parallelism", parallelism);
        if (savepoint != null) {
            request.put("savepointPath", savepoint);
        }
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(URI.create(restUrl() + "/jars/" + jarId + "/run"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                json.writeValueAsString(request))));
        return answer.path("jobid").asText();
    }

    /** {@code GET /jobs/<id>}: the job's state, e.g. RUNNING or FINISHED. */
    public String jobState(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Waits until every task of the job is RUNNING (not just the job), so input is read. */
    public void awaitRunning(String jobId) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = get("/jobs/" + jobId);
            String state = job.path("state").asText();
            if (state.equals("FAILED") || state.equals("CANCELED")) {
                throw new IllegalStateException("job " + jobId + " is " + state + logTails());
            }
            boolean all = state.equals("RUNNING") && job.path("vertices").size() > 0;
            for (JsonNode v : job.path("vertices")) {
                all &= v.path("status").asText().equals("RUNNING");
            }
            if (all) {
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("job " + jobId + " did not start running" + logTails());
    }

    /**
     * {@code POST /jobs/<id>/stop}: stop-with-savepoint into {@code targetDir} (no drain), waits
     * for it, and returns the savepoint's location.
     */
    public String stopWithSavepoint(String jobId, Path targetDir)
            throws IOException, InterruptedException {
        ObjectNode request = json.createObjectNode();
        request.put("targetDirectory", targetDir.toUri().toString());
        request.put("drain", false);
        JsonNode trigger =
                send(
                        HttpRequest.newBuilder(URI.create(restUrl() + "/jobs/" + jobId + "/stop"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                json.writeValueAsString(request))));
        String path = "/jobs/" + jobId + "/savepoints/" + trigger.path("request-id").asText();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get(path);
            if (status.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode op = status.path("operation");
                if (op.has("failure-cause")) {
                    throw new IllegalStateException(
                            "stop-with-savepoint failed: " + op.path("failure-cause"));
                }
                return op.path("location").asText();
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("stop-with-savepoint did not complete" + logTails());
    }

    /** {@code PATCH /jobs/<id>?mode=cancel}. */
    public void cancel(String jobId) throws IOException, InterruptedException {
        send(
                HttpRequest.newBuilder(URI.create(restUrl() + "/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    /** How many distinct TaskManagers run subtasks of the job. */
    public int taskManagersOf(String jobId) throws IOException, InterruptedException {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
            for (JsonNode s :
                    get("/jobs/" + jobId + "/vertices/" + v.path("id").asText()).path("subtasks")) {
                String tm = s.path("taskmanager-id").asText("");
                if (!tm.isEmpty() && !tm.equals("(unassigned)")) {
                    ids.add(tm);
                }
            }
        }
        return ids.size();
    }

    /** {@code GET /taskmanagers}: how many TaskManagers have registered. */
    public int registeredTaskManagers() throws IOException, InterruptedException {
        return get("/taskmanagers").path("taskmanagers").size();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(restUrl() + path)).GET());
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        request.timeout(REST_TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "Flink REST "
                            + response.request().method()
                            + " "
                            + response.uri().getPath()
                            + " answered "
                            + response.statusCode()
                            + ": "
                            + response.body());
        }
        return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
    }

    // ---------------------------------------------------------------- processes

    private void writeConfig(int rpcPort, int slots, Map<String, String> extra) throws IOException {
        Path data = dir.toAbsolutePath();
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", String.valueOf(rpcPort));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("jobmanager.memory.process.size", "1024m");
        c.put("taskmanager.bind-host", "127.0.0.1");
        // Without it the REST API reports TaskManagers as "localhost".
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.numberOfTaskSlots", String.valueOf(slots));
        c.put("taskmanager.memory.process.size", "1536m");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", String.valueOf(restPort));
        // The shaded job jar carries ONNX Runtime's natives (~100 MB); REST's default limit is 100
        // MiB.
        c.put("rest.server.max-content-length", String.valueOf(512 * 1024 * 1024));
        c.put("parallelism.default", "1");
        c.put("execution.checkpointing.dir", quote(data.resolve("checkpoints").toUri()));
        c.put("execution.checkpointing.savepoint-dir", quote(data.resolve("savepoints").toUri()));
        c.put("io.tmp.dirs", quote(data.resolve("tmp")));
        c.put("web.upload.dir", quote(data.resolve("upload")));
        c.put("web.tmpdir", quote(data.resolve("tmp")));
        // ONNX Runtime lives on the cluster classpath (lib/): its native library is loaded once
        // per TaskManager JVM, not once per job classloader, so resubmitting the job is safe.
        c.put("classloader.parent-first-patterns.additional", "[\"ai.onnxruntime.\"]");
        c.putAll(extra);
        StringBuilder yaml = new StringBuilder("# written by EdgeSplit's LocalCluster\n");
        c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(configDir().resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
    }

    private static String quote(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void writeLog4j() throws IOException {
        String config =
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.out.ref = out",
                        "appender.out.type = Console",
                        "appender.out.name = out",
                        "appender.out.layout.type = PatternLayout",
                        "appender.out.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1.} - %m%n",
                        "logger.kafka.name = org.apache.kafka",
                        "logger.kafka.level = WARN",
                        "logger.netty.name = org.apache.flink.shaded.netty4",
                        "logger.netty.level = WARN",
                        "");
        Files.writeString(configDir().resolve("log4j.properties"), config, StandardCharsets.UTF_8);
    }

    private void startJobManager() throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        args.add("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        args.add("--configDir");
        args.add(configDir().toString());
        // Quick start-up matters more than peak speed for the coordinator.
        List<String> jvm =
                new ArrayList<>(List.of("-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        nodes.add(launch("jobmanager", jvm, args));
    }

    private void startTaskManager(int index) throws IOException, InterruptedException {
        Resources memory = taskManagerResources();
        List<String> args = new ArrayList<>();
        args.add("org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
        args.add("--configDir");
        args.add(configDir().toString());
        args.addAll(memory.dynamicProperties());
        nodes.add(launch("taskmanager-" + index, new ArrayList<>(memory.jvmFlags()), args));
    }

    /** JVM flags and {@code -D key=value} properties that Flink's scripts compute for a TM. */
    record Resources(List<String> jvmFlags, List<String> dynamicProperties) {}

    private Resources taskManagerResources() throws IOException, InterruptedException {
        List<String> cmd = javaCommand(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(
                List.of(
                        "org.apache.flink.runtime.util.bash.BashJavaUtils",
                        "GET_TM_RESOURCE_PARAMS",
                        "--configDir",
                        configDir().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("BashJavaUtils failed:\n" + out);
        }
        List<String> results =
                out.lines()
                        .filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                        .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).strip())
                        .toList();
        if (results.size() < 2) {
            throw new IllegalStateException("unexpected BashJavaUtils output:\n" + out);
        }
        return new Resources(
                Arrays.asList(results.get(0).split("\\s+")),
                Arrays.asList(results.get(1).split("\\s+")));
    }

    private Node launch(String name, List<String> jvmFlags, List<String> args) throws IOException {
        List<String> cmd = javaCommand(jvmFlags);
        cmd.addAll(args);
        Path log = dir.resolve("log").resolve(name + ".log");
        Process process =
                new ProcessBuilder(cmd)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        Node node = new Node(name, process, log);
        // As Flink's scripts do: a PID file per JVM, so a crashed driver leaves a way to stop them.
        Files.writeString(dir.resolve("log").resolve(name + ".pid"), node.pid() + "\n");
        LOG.info("started {} (pid {})", name, node.pid());
        return node;
    }

    private List<String> javaCommand(List<String> jvmFlags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.addAll(JAVA17_OPENS);
        cmd.addAll(extraJvmFlags);
        cmd.add("-Djava.io.tmpdir=" + dir.resolve("tmp").toAbsolutePath());
        cmd.add("-Dlog4j2.configurationFile=" + configDir().resolve("log4j.properties").toUri());
        cmd.add("-cp");
        cmd.add(classpath);
        return cmd;
    }

    private void awaitTaskManagers(int expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Node n : nodes) {
                if (!n.process().isAlive()) {
                    throw new IllegalStateException(
                            n.name()
                                    + " exited with code "
                                    + n.process().exitValue()
                                    + " while the cluster started; its log:\n"
                                    + tail(n.log()));
                }
            }
            try {
                if (registeredTaskManagers() >= expected) {
                    return;
                }
            } catch (IOException notYet) {
                // REST endpoint not up yet.
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException(
                "the cluster did not get " + expected + " TaskManagers" + logTails());
    }

    /** The last lines of every JVM's log, for failure messages. */
    public String logTails() {
        StringBuilder s = new StringBuilder();
        for (Node n : nodes) {
            s.append("\n--- ").append(n.name()).append(" (").append(n.log()).append(")\n");
            s.append(tail(n.log()));
        }
        return s.toString();
    }

    /** Stops the TaskManagers, then the JobManager: SIGTERM, then SIGKILL after a grace period. */
    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            Process p = n.process();
            if (!p.isAlive()) {
                continue;
            }
            p.destroy();
            try {
                if (!p.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    LOG.warn("{} (pid {}) did not stop; killing it", n.name(), n.pid());
                    p.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Flink's jars resolved at build time, plus nothing of ours: the job comes as a jar. */
    static String flinkClasspath() throws IOException {
        try (InputStream in =
                LocalCluster.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "resource "
                                + CLASSPATH_RESOURCE
                                + " is missing: build the jobs module with Maven");
            }
            String jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            for (String jar : jars.split(java.io.File.pathSeparator)) {
                if (!Files.exists(Path.of(jar))) {
                    throw new IllegalStateException(
                            "flink.classpath names a missing jar " + jar + "; rebuild with Maven");
                }
            }
            return jars;
        }
    }

    static int freePort() {
        return LocalProcesses.freePort();
    }

    static String tail(Path file) {
        return LocalProcesses.tail(file, LOG_TAIL_LINES);
    }
}
