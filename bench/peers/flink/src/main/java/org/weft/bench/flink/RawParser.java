package org.weft.bench.flink;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one raw NDJSON line of an in-app-purchase source the way Weft's
 * template extractor does (packages/templates/src/extract.ts and convert.ts):
 * a line is a dead letter when it is not a JSON object, its event time is
 * missing or does not decode, or a required field is missing or does not
 * convert to a string. The simulator's {@code _sim} field is never read.
 *
 * <p>Not thread-safe (one MessageDigest): one instance per parallel subtask.
 */
public final class RawParser {

    /** The six event sources of the in-app-purchase template. */
    public static final List<String> SOURCES =
            List.of("client_order", "pay_page", "receipt", "pay_done", "channel_callback", "delivery");

    /** The baseline sources (carry the order id), in the template's order. */
    public static final List<String> BASELINE = List.of("client_order", "pay_page", "receipt", "pay_done");

    enum Encoding { EPOCH_MS, EPOCH_S, ISO8601 }

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    // Same patterns as convert.ts (ASCII \d, as in a JS regex without the u flag).
    private static final Pattern NUMERIC = Pattern.compile("^\\s*[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?\\s*$");
    private static final Pattern ISO_DATE = Pattern.compile(
            "^(\\d{4})-(\\d{2})-(\\d{2})([T ](\\d{2}):(\\d{2})(:(\\d{2})(\\.(\\d+))?)?)?(Z|([+-])(\\d{2}):?(\\d{2}))?$");
    private static final long MAX_SAFE = 9007199254740991L;

    private final String source;
    private final MessageDigest sha256;

    public RawParser(String source) {
        if (!SOURCES.contains(source)) throw new IllegalArgumentException("unknown source " + source);
        this.source = source;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Blank lines (empty or whitespace only) are skipped: neither records nor dead letters. */
    public static boolean isBlank(String line) {
        return line.isBlank();
    }

    /** The parsed record, or null for a dead letter. */
    public Rec parse(String line) {
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (Exception e) {
            return null;
        }
        if (root == null || !root.isObject()) return null;
        String key;
        String transId = null;
        String roleId = null;
        long ts;
        switch (source) {
            case "client_order":
                ts = time(root.get("ts"), Encoding.EPOCH_MS);
                key = str(root.get("order_id"));
                roleId = str(root.get("role_id"));
                break;
            case "pay_page":
                ts = time(root.get("time"), Encoding.ISO8601);
                key = str(root.get("orderId"));
                break;
            case "receipt":
                ts = time(root.get("t"), Encoding.EPOCH_S);
                key = str(root.get("order"));
                break;
            case "pay_done":
                ts = time(root.get("event_time_ms"), Encoding.EPOCH_MS);
                key = str(root.get("order_id"));
                transId = str(root.get("trans_id"));
                break;
            case "channel_callback":
                ts = time(root.get("notify_time"), Encoding.ISO8601);
                key = str(root.get("trans_id"));
                break;
            case "delivery":
                ts = time(root.get("log_time"), Encoding.EPOCH_MS);
                JsonNode role = root.get("role");
                roleId = role != null && role.isObject() ? str(role.get("id")) : null;
                if (roleId == null) return null; // required
                key = str(root.get("bill_no"));
                break;
            default:
                throw new IllegalStateException(source);
        }
        if (ts == Long.MIN_VALUE || key == null) return null;
        return new Rec(source, key, ts, signature(source, ts, line), transId, roleId);
    }

    /** {@code <source>:<eventTimeMs>:<sha256 hex of the line's UTF-8 bytes>}. */
    public String signature(String source, long ts, String line) {
        byte[] digest = sha256.digest(line.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder(source.length() + 22 + 64);
        sb.append(source).append(':').append(ts).append(':');
        for (byte b : digest) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /**
     * A field converted to a string as convert.ts does: strings as they are,
     * finite numbers and booleans as JavaScript's String(value); null, missing,
     * objects and arrays give null.
     */
    static String str(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isTextual()) return v.textValue();
        if (v.isBoolean()) return v.booleanValue() ? "true" : "false";
        if (v.isNumber()) return jsNumberToString(v.doubleValue());
        return null;
    }

    /** JavaScript's Number#toString for the common cases (integers below 1e21, else Java's shortest repr). */
    static String jsNumberToString(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return null;
        if (d == 0) return "0";
        if (d == Math.rint(d) && Math.abs(d) < 1e21) return new java.math.BigDecimal(d).toPlainString();
        String s = Double.toString(d);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** Event time in epoch ms as convert.ts decodeTime, or Long.MIN_VALUE when it does not decode. */
    static long time(JsonNode v, Encoding enc) {
        if (v == null || v.isNull()) return Long.MIN_VALUE;
        if (enc == Encoding.ISO8601) {
            return v.isTextual() ? iso8601(v.textValue().strip()) : Long.MIN_VALUE;
        }
        double n;
        if (v.isNumber()) {
            n = v.doubleValue();
        } else if (v.isTextual() && NUMERIC.matcher(v.textValue()).matches()) {
            n = Double.parseDouble(v.textValue().strip());
        } else {
            return Long.MIN_VALUE;
        }
        double x = enc == Encoding.EPOCH_S ? n * 1000 : n;
        if (!Double.isFinite(x) || Math.abs(x) > MAX_SAFE + 1.0) return Long.MIN_VALUE;
        long ms = Math.round(x); // like JS Math.round: halves towards +infinity
        return Math.abs(ms) > MAX_SAFE ? Long.MIN_VALUE : ms;
    }

    /**
     * ISO 8601 as V8's Date.parse reads the forms convert.ts accepts: fraction
     * truncated to ms, day 1..31 rolling over into the next month (Feb 30 is
     * Mar 2), 24:00 only as exact midnight, a date-only form only without
     * offset or with Z, and no offset meaning UTC (Weft runs with TZ=UTC).
     */
    static long iso8601(String s) {
        Matcher m = ISO_DATE.matcher(s);
        if (!m.matches()) return Long.MIN_VALUE;
        int y = Integer.parseInt(m.group(1));
        int mo = Integer.parseInt(m.group(2));
        int d = Integer.parseInt(m.group(3));
        if (mo < 1 || mo > 12 || d < 1 || d > 31) return Long.MIN_VALUE;
        boolean hasTime = m.group(4) != null;
        int hh = 0, mi = 0, ss = 0, ms = 0;
        if (hasTime) {
            hh = Integer.parseInt(m.group(5));
            mi = Integer.parseInt(m.group(6));
            if (m.group(8) != null) ss = Integer.parseInt(m.group(8));
            if (m.group(10) != null) {
                String f = (m.group(10) + "00").substring(0, 3);
                ms = Integer.parseInt(f);
            }
            if (mi > 59 || ss > 59 || hh > 24) return Long.MIN_VALUE;
            if (hh == 24 && (mi != 0 || ss != 0 || ms != 0)) return Long.MIN_VALUE;
        }
        long offsetMin = 0;
        if (m.group(12) != null) {
            if (!hasTime) return Long.MIN_VALUE;
            int oh = Integer.parseInt(m.group(13));
            int om = Integer.parseInt(m.group(14));
            if (oh > 23 || om > 59) return Long.MIN_VALUE;
            offsetMin = (oh * 60L + om) * ("-".equals(m.group(12)) ? -1 : 1);
        }
        long day = LocalDate.of(y, mo, 1).toEpochDay() + (d - 1);
        return day * 86_400_000L + hh * 3_600_000L + mi * 60_000L + ss * 1000L + ms - offsetMin * 60_000L;
    }
}
