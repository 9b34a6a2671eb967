package org.weft.bench.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Time decoding and dead letters as packages/templates/src/convert.ts (values checked against Node's Date.parse). */
class RawParserTest {

    static final long NONE = Long.MIN_VALUE;

    static long iso(String s) {
        return RawParser.iso8601(s.strip());
    }

    @Test
    void iso8601AsV8ParsesIt() {
        assertEquals(1795489200123L, iso("2026-11-24T03:00:00.123Z"));
        assertEquals(1795489200123L, iso("2026-11-24T03:00:00.1239Z")); // truncated
        assertEquals(1795489200100L, iso("2026-11-24T03:00:00.1Z"));
        assertEquals(1795489200000L, iso("2026-11-24 03:00:00Z"));
        assertEquals(1795489200000L, iso("2026-11-24T03:00Z"));
        assertEquals(1795485600000L, iso("2026-11-24T03:00:00+0100"));
        assertEquals(1795491000000L, iso("2026-11-24T03:00:00-00:30"));
        assertEquals(1795478400000L, iso("2026-11-24"));
        assertEquals(1795478400000L, iso("2026-11-24Z"));
        assertEquals(1795489200000L, iso("2026-11-24T03:00:00")); // no offset: UTC
        assertEquals(1772496000000L, iso("2026-02-31")); // rolls into March as V8 does
        assertEquals(1795564800000L, iso("2026-11-24T24:00Z"));
        assertEquals(NONE, iso("2026-11-24T24:00:01Z"));
        assertEquals(NONE, iso("2026-11-24T23:60Z"));
        assertEquals(NONE, iso("2026-13-01T00:00Z"));
        assertEquals(NONE, iso("2026-02-32T00:00Z"));
        assertEquals(NONE, iso("2026-11-24+01:00"));
        assertEquals(NONE, iso("1764000000000"));
    }

    @Test
    void epochEncodings() throws Exception {
        ObjectMapper m = new ObjectMapper();
        assertEquals(1764000012000L, RawParser.time(m.readTree("1764000012"), RawParser.Encoding.EPOCH_S));
        assertEquals(1764000012000L, RawParser.time(m.readTree("\" 1764000012 \""), RawParser.Encoding.EPOCH_S));
        assertEquals(1764000012500L, RawParser.time(m.readTree("1764000012.5"), RawParser.Encoding.EPOCH_S));
        assertEquals(1764000000124L, RawParser.time(m.readTree("1764000000123.5"), RawParser.Encoding.EPOCH_MS));
        assertEquals(NONE, RawParser.time(m.readTree("true"), RawParser.Encoding.EPOCH_MS));
        assertEquals(NONE, RawParser.time(m.readTree("\"2026-11-24T03:00:00Z\""), RawParser.Encoding.EPOCH_MS));
        assertEquals(NONE, RawParser.time(m.readTree("1e300"), RawParser.Encoding.EPOCH_MS));
    }

    @Test
    void deadLettersAndKeys() {
        RawParser p = new RawParser("pay_done");
        for (String bad : List.of("{", "[]", "\"x\"", "{\"order_id\":\"O1\"}", "{\"event_time_ms\":1,\"order_id\":{}}",
                "{\"event_time_ms\":1}", "{\"event_time_ms\":1,\"order_id\":\"O1\"} trailing")) {
            assertNull(p.parse(bad), bad);
        }
        Rec r = p.parse("{\"event_time_ms\":5,\"order_id\":42,\"trans_id\":{\"x\":1},\"_sim\":{\"order_id\":\"X\"}}");
        assertNotNull(r);
        assertEquals("42", r.key); // numbers convert to strings as String(42)
        assertNull(r.transId); // optional, not convertible: null
        assertEquals(5L, r.ts);
        Rec d = new RawParser("delivery").parse("{\"log_time\":7,\"role\":{\"id\":\"R1\"},\"bill_no\":\"O1\"}");
        assertEquals("O1", d.key);
        assertEquals("R1", d.roleId);
        assertNull(new RawParser("delivery").parse("{\"log_time\":7,\"bill_no\":\"O1\"}"));
    }
}
