package org.weft.bench.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.util.OutputTag;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Weft's in-app-purchase correlation as a Flink DataStream job (see README.md):
 *
 * <pre>
 *  client_order ┐
 *  pay_page     ├ union ─ keyBy(order id) ─ session windows (gap 20 min, CompleteOrFinalTrigger) ─ final ┐
 *  receipt      │                                                                                      │
 *  pay_done ────┼─ keyBy(trans_id) ⋈ channel_callback keyBy(trans_id)  [-1 min, +30 min] ─ attach ──┤ connect,
 *               └─ keyBy(order id) ⋈ delivery keyBy(bill_no)            [0, +20 min]      ─ attach ──┘ keyBy(order id)
 *                                                                     SessionAssembler ─ session lines ─ file
 * </pre>
 */
public final class FlinkPeerJob {

    public static final long GAP_MS = Duration.ofMinutes(20).toMillis();
    public static final Duration CALLBACK_LOWER = Duration.ofMinutes(-1);
    public static final Duration CALLBACK_UPPER = Duration.ofMinutes(30);
    public static final Duration DELIVERY_LOWER = Duration.ZERO;
    public static final Duration DELIVERY_UPPER = Duration.ofMinutes(20);

    private FlinkPeerJob() {}

    /** Job options; see {@link #usage()}. */
    public static final class Options {
        public Path inputDir;
        public int parallelism = 1;
        public Path out;
        public long outOfOrdernessMs = 5_000;
        /** Largest event-time lead (ms) of one file source over the slowest; 0 turns alignment off. */
        public long alignMs = 3_600_000;
    }

    /** What one run produced. */
    public static final class Result {
        public long recordsIn;
        public long dropped;
        /** Canonical session lines, sorted. */
        public List<String> lines;
        public String checksum;
        public long elapsedMs;
        public long netRuntimeMs;
        /** CPU time of the whole JVM (all threads: tasks, JIT, GC) during execute(); -1 if unknown. */
        public long cpuMs;
        public Map<String, Object> accumulators;
    }

    static String usage() {
        return "usage: FlinkPeerJob INPUT_DIR [--parallelism 1|2] [--out FILE] [--out-of-orderness-ms MS] [--align-ms MS]";
    }

    static Options parseArgs(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--parallelism": o.parallelism = Integer.parseInt(args[++i]); break;
                case "--out": o.out = Paths.get(args[++i]); break;
                case "--out-of-orderness-ms": o.outOfOrdernessMs = Long.parseLong(args[++i]); break;
                case "--align-ms": o.alignMs = Long.parseLong(args[++i]); break;
                case "-h": case "--help": throw new IllegalArgumentException(usage());
                default:
                    if (a.startsWith("--") || o.inputDir != null) throw new IllegalArgumentException("unexpected " + a + "\n" + usage());
                    o.inputDir = Paths.get(a);
            }
        }
        if (o.inputDir == null) throw new IllegalArgumentException(usage());
        if (o.parallelism < 1) throw new IllegalArgumentException("--parallelism must be >= 1");
        if (o.alignMs < 0) throw new IllegalArgumentException("--align-ms must be >= 0 (0 turns alignment off), got " + o.alignMs);
        if (o.out == null) { // run.sh sets WEFT_FLINK_HOME to bench/peers/flink
            String home = System.getenv().getOrDefault("WEFT_FLINK_HOME", ".");
            o.out = Paths.get(home, "target", "sessions-p" + o.parallelism + ".ndjson");
        }
        return o;
    }

    private static DataStream<Rec> source(StreamExecutionEnvironment env, Path dir, String source, Options o)
            throws IOException {
        Path file = dir.resolve(source + ".ndjson");
        if (!Files.isRegularFile(file)) {
            System.err.println("weft-flink-peer: " + file + " not found, reading it as empty");
            file = Files.createTempFile("weft-flink-empty-", ".ndjson");
            file.toFile().deleteOnExit();
        }
        FileSource<Rec> files = FileSource
                .forRecordStreamFormat(new RecFormat(source), new org.apache.flink.core.fs.Path(file.toAbsolutePath().toUri()))
                .build();
        WatermarkStrategy<Rec> watermarks = WatermarkStrategy
                .<Rec>forBoundedOutOfOrderness(Duration.ofMillis(o.outOfOrdernessMs))
                .withTimestampAssigner((r, previous) -> r.ts);
        // Without alignment a file that parses faster runs ahead in event time and its records wait in
        // window and join state for the slowest file: state then grows with the input.
        if (o.alignMs > 0)
            watermarks = watermarks.withWatermarkAlignment("weft-inputs", Duration.ofMillis(o.alignMs), Duration.ofMillis(200));
        return env.fromSource(files, watermarks, "file:" + source)
                .flatMap(new CountRecords(source)).name("count:" + source);
    }

    private static void countLate(DataStream<Rec> late, String name) {
        late.flatMap(new Joins.CountLate(name)).name(name).sinkTo(new DiscardingSink<>()).name(name + ".discard");
    }

    /** Builds and runs the job, then writes the sorted session lines to {@code o.out}. */
    public static Result run(Options o) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        // A file is one split: the source operator pauses as a whole; FileSource readers cannot pause a split.
        conf.setString("pipeline.watermark-alignment.allow-unaligned-source-splits", "true");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(o.parallelism);

        Map<String, DataStream<Rec>> in = new LinkedHashMap<>();
        for (String s : RawParser.SOURCES) in.put(s, source(env, o.inputDir, s, o));
        DataStream<Rec> payDone = in.get("pay_done");

        // Baseline: session windows keyed by order id, early + final firings.
        OutputTag<Rec> lateBaseline = new OutputTag<>("late.baseline", TypeInformation.of(Rec.class));
        SingleOutputStreamOperator<SessionOut> fired = in.get("client_order")
                .union(in.get("pay_page"), in.get("receipt"), payDone)
                .keyBy(r -> r.key, Types.STRING)
                .window(EventTimeSessionWindows.withGap(Duration.ofMillis(GAP_MS)))
                .trigger(new CompleteOrFinalTrigger(RawParser.BASELINE))
                .sideOutputLateData(lateBaseline)
                .aggregate(new SessionAggregate(), new EmitSession())
                .name("session-window");
        countLate(fired.getSideOutput(lateBaseline), "late.baseline");
        // Early firings are updates of an open session; the benchmark output keeps final versions only.
        DataStream<SessionOut> finals = fired.filter(s -> s.isFinal).name("final-only");

        // Supplements: interval joins anchored on pay_done.
        OutputTag<Rec> lateCbLeft = new OutputTag<>("late.callback_join.pay_done", TypeInformation.of(Rec.class));
        OutputTag<Rec> lateCbRight = new OutputTag<>("late.callback_join.callback", TypeInformation.of(Rec.class));
        SingleOutputStreamOperator<Attach> callbacks = payDone
                .filter(r -> r.transId != null).name("has-trans_id")
                .keyBy(r -> r.transId, Types.STRING)
                .intervalJoin(in.get("channel_callback").keyBy(r -> r.key, Types.STRING))
                .between(CALLBACK_LOWER, CALLBACK_UPPER)
                .sideOutputLeftLateData(lateCbLeft)
                .sideOutputRightLateData(lateCbRight)
                .process(new Joins.CallbackToAttach())
                .name("join:channel_callback");
        countLate(callbacks.getSideOutput(lateCbLeft), lateCbLeft.getId());
        countLate(callbacks.getSideOutput(lateCbRight), lateCbRight.getId());

        OutputTag<Rec> lateDlLeft = new OutputTag<>("late.delivery_join.pay_done", TypeInformation.of(Rec.class));
        OutputTag<Rec> lateDlRight = new OutputTag<>("late.delivery_join.delivery", TypeInformation.of(Rec.class));
        SingleOutputStreamOperator<Attach> deliveries = payDone
                .keyBy(r -> r.key, Types.STRING)
                .intervalJoin(in.get("delivery").keyBy(r -> r.key, Types.STRING))
                .between(DELIVERY_LOWER, DELIVERY_UPPER)
                .sideOutputLeftLateData(lateDlLeft)
                .sideOutputRightLateData(lateDlRight)
                .process(new Joins.DeliveryToAttach())
                .name("join:delivery");
        countLate(deliveries.getSideOutput(lateDlLeft), lateDlLeft.getId());
        countLate(deliveries.getSideOutput(lateDlRight), lateDlRight.getId());

        long maxUpper = Math.max(CALLBACK_UPPER.toMillis(), DELIVERY_UPPER.toMillis());
        Path unsorted = o.out.toAbsolutePath().resolveSibling(o.out.getFileName() + ".unsorted");
        finals.connect(callbacks.union(deliveries))
                .keyBy(s -> s.key, a -> a.key, Types.STRING)
                .process(new SessionAssembler(maxUpper))
                .name("assemble-sessions")
                .sinkTo(new LineFileSink(unsorted.toString()))
                .name("sessions-file")
                .setParallelism(1);

        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        JobExecutionResult jr = env.execute("weft-flink-peer in-app-purchase");
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        long cpuNanos = processCpuNanos() - cpu0;

        Result r = new Result();
        r.elapsedMs = elapsedMs;
        r.netRuntimeMs = jr.getNetRuntime();
        r.cpuMs = cpu0 < 0 ? -1 : cpuNanos / 1_000_000;
        r.accumulators = new TreeMap<>(jr.getAllAccumulatorResults());
        for (String s : RawParser.SOURCES) {
            r.recordsIn += counter(r.accumulators, "records_in." + s);
            r.dropped += counter(r.accumulators, "dropped." + s);
        }
        r.lines = Files.readAllLines(unsorted, StandardCharsets.UTF_8);
        r.checksum = Canonical.checksum(r.lines); // sorts r.lines
        try (BufferedWriter w = Files.newBufferedWriter(o.out, StandardCharsets.UTF_8)) {
            for (String line : r.lines) {
                w.write(line);
                w.write('\n');
            }
        }
        Files.delete(unsorted);
        return r;
    }

    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime()
                : -1;
    }

    static long counter(Map<String, Object> acc, String name) {
        Object v = acc.get(name);
        return v instanceof Number ? ((Number) v).longValue() : 0L;
    }

    /** The summary JSON printed on stdout. */
    static String summary(Options o, Result r) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("records_in", r.recordsIn);
        n.put("sessions", r.lines.size());
        n.put("dropped", r.dropped);
        n.put("checksum", r.checksum);
        n.put("elapsed_ms", r.elapsedMs);
        n.put("records_per_s", r.elapsedMs > 0 ? Math.round(r.recordsIn * 1000.0 / r.elapsedMs) : 0);
        n.put("parallelism", o.parallelism);
        n.put("flink_version", EnvironmentInformation.getVersion());
        n.put("job_net_runtime_ms", r.netRuntimeMs);
        n.put("records_per_s_net", r.netRuntimeMs > 0 ? Math.round(r.recordsIn * 1000.0 / r.netRuntimeMs) : 0);
        n.put("cpu_ms", r.cpuMs);
        n.put("records_per_cpu_s", r.cpuMs > 0 ? Math.round(r.recordsIn * 1000.0 / r.cpuMs) : 0);
        n.put("out_of_orderness_ms", o.outOfOrdernessMs);
        n.put("watermark_alignment_ms", o.alignMs);
        n.put("early_fires", counter(r.accumulators, "early_fires"));
        n.put("final_fires", counter(r.accumulators, "final_fires"));
        ObjectNode late = n.putObject("late");
        ObjectNode perSource = n.putObject("per_source");
        for (Map.Entry<String, Object> e : r.accumulators.entrySet()) {
            if (e.getKey().startsWith("late.")) late.put(e.getKey().substring(5), counter(r.accumulators, e.getKey()));
        }
        for (String s : RawParser.SOURCES) {
            ObjectNode p = perSource.putObject(s);
            p.put("records_in", counter(r.accumulators, "records_in." + s));
            p.put("dropped", counter(r.accumulators, "dropped." + s));
        }
        n.put("output", o.out.toAbsolutePath().toString());
        n.put("java_version", System.getProperty("java.version"));
        n.put("available_processors", Runtime.getRuntime().availableProcessors());
        n.put("load_avg_1m_after", loadAverage());
        long hwm = peakRssBytes();
        if (hwm >= 0) n.put("max_rss_bytes", hwm);
        return n.toString();
    }

    /** The JVM's peak resident set (VmHWM of /proc/self/status, Linux), so memory compares with Weft's; -1 elsewhere. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    /** 1-minute load average (Linux), so a figure taken on a busy machine can be told apart; -1 elsewhere. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Paths.get("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return -1;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parseArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // Anything the runtime prints goes to stderr; stdout carries only the summary.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        int code = 0;
        try {
            Result r = run(o);
            stdout.println(summary(o, r));
            stdout.flush();
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }
}
