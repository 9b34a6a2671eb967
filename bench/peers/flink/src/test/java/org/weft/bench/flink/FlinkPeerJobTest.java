package org.weft.bench.flink;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the job on the hand-checked fixture src/test/resources/tiny (five
 * orders, an orphan callback, three dead letters and a blank line) and
 * compares its sessions with the ones worked out by hand below.
 */
class FlinkPeerJobTest {

    static final long T0 = 1764000000000L;
    static final long S = 1000, M = 60 * S;

    static Path fixture() throws URISyntaxException {
        return Paths.get(FlinkPeerJobTest.class.getResource("/tiny").toURI());
    }

    /** {@code source:line:ts} (line 1-based in the fixture file) to the record's canonical signature. */
    static String sig(String source, int line, long ts) throws Exception {
        String raw = Files.readAllLines(fixture().resolve(source + ".ndjson"), StandardCharsets.UTF_8).get(line - 1);
        byte[] h = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
        return source + ":" + ts + ":" + HexFormat.of().formatHex(h);
    }

    static String session(String key, String... sigs) {
        List<String> sorted = new ArrayList<>(List.of(sigs));
        sorted.sort(null);
        return "{\"businessKey\":\"" + key + "\",\"records\":[\"" + String.join("\",\"", sorted) + "\"]}";
    }

    static List<String> expectedSessions() throws Exception {
        List<String> s = new ArrayList<>();
        // O1: every step, its callback and its delivery
        s.add(session("O1", sig("client_order", 1, T0), sig("pay_page", 1, T0 + 10 * S),
                sig("receipt", 1, T0 + 20 * S), sig("pay_done", 1, T0 + 30 * S),
                sig("channel_callback", 1, T0 + 31 * S), sig("delivery", 1, T0 + 35 * S)));
        // O2: abandoned at the pay page
        s.add(session("O2", sig("client_order", 2, T0 + 60 * S), sig("pay_page", 2, T0 + 70 * S)));
        // O3: pay_page logged twice (one record); delivery of role R9 and a callback at pay_done + 31 min not attached
        s.add(session("O3", sig("client_order", 3, T0 + 120 * S), sig("pay_page", 3, T0 + 130 * S),
                sig("receipt", 2, T0 + 140 * S), sig("pay_done", 2, T0 + 150 * S),
                sig("channel_callback", 2, T0 + 151 * S)));
        // O4: split by a 25 min pause; the second session has no client_order, hence no role_id and no delivery
        s.add(session("O4", sig("client_order", 4, T0 + 200 * S)));
        s.add(session("O4", sig("pay_page", 7, T0 + 200 * S + 25 * M), sig("receipt", 5, T0 + 210 * S + 25 * M),
                sig("pay_done", 5, T0 + 220 * S + 25 * M), sig("channel_callback", 5, T0 + 225 * S + 25 * M)));
        // O5: receipt time as a numeric string; callback 50 s before pay_done (inside -1 min);
        // delivery at exactly pay_done + 20 min (inclusive) attached, the one 1 ms later not
        s.add(session("O5", sig("client_order", 5, T0 + 300 * S), sig("pay_page", 5, T0 + 305 * S),
                sig("receipt", 3, T0 + 310 * S), sig("pay_done", 3, T0 + 320 * S),
                sig("channel_callback", 3, T0 + 270 * S), sig("delivery", 3, T0 + 320 * S + 20 * M)));
        s.sort(null);
        return s;
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void tinyFixtureGivesTheHandCheckedSessions(int parallelism, @TempDir Path tmp) throws Exception {
        FlinkPeerJob.Options o = new FlinkPeerJob.Options();
        o.inputDir = fixture();
        o.parallelism = parallelism;
        o.out = tmp.resolve("sessions.ndjson");

        FlinkPeerJob.Result r = FlinkPeerJob.run(o);

        List<String> expected = expectedSessions();
        assertEquals(33, r.recordsIn, "non-blank lines read");
        assertEquals(3, r.dropped, "bad JSON, missing time, order id of a wrong type");
        assertEquals(6, r.lines.size(), "sessions");
        assertEquals(expected, r.lines);
        assertEquals(expected, Files.readAllLines(o.out, StandardCharsets.UTF_8));
        assertEquals(Canonical.checksum(new ArrayList<>(expected)), r.checksum);
        // O1, O3 and O5 complete; O3's duplicated pay_page fires once more when it is read after
        // the session completed, which depends on how the source tasks interleave.
        long early = FlinkPeerJob.counter(r.accumulators, "early_fires");
        assertTrue(early == 3 || early == 4, "early fires: " + early);
        assertEquals(6L, FlinkPeerJob.counter(r.accumulators, "final_fires"));
    }
}
