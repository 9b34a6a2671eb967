package org.weft.bench.flink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The canonical session line and checksum shared with Weft's harness (see
 * README.md, "Canonical output"): byte-for-byte what JavaScript produces with
 * {@code JSON.stringify({businessKey, records: sigs.sort()})} and
 * {@code sha256(lines.sort().join("\n"))}.
 */
public final class Canonical {

    private Canonical() {}

    /** {@code {"businessKey":"…","records":["…",…]}} with the signatures sorted (UTF-16 code unit order). */
    public static String sessionLine(String businessKey, Collection<String> sigs) {
        String[] sorted = sigs.toArray(new String[0]);
        Arrays.sort(sorted);
        StringBuilder sb = new StringBuilder(32 + sorted.length * 96);
        sb.append("{\"businessKey\":");
        jsonString(sb, businessKey);
        sb.append(",\"records\":[");
        for (int i = 0; i < sorted.length; i++) {
            if (i > 0) sb.append(',');
            jsonString(sb, sorted[i]);
        }
        return sb.append("]}").toString();
    }

    /** A string quoted as JSON.stringify does (lowercase \\u00xx, lone surrogates escaped). */
    public static void jsonString(StringBuilder sb, String s) {
        if (plain(s)) { // signatures and ordinary ids: nothing to escape
            sb.append('"').append(s).append('"');
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    boolean lone = false;
                    if (Character.isHighSurrogate(c)) {
                        lone = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
                        if (!lone) {
                            sb.append(c).append(s.charAt(++i));
                            continue;
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        lone = true;
                    }
                    if (c < 0x20 || lone) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) return false;
        }
        return true;
    }

    /** Sorts the lines in place and returns sha256 hex of them joined with "\n" (no trailing newline). */
    public static String checksum(List<String> lines) {
        lines.sort(null);
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] nl = {'\n'};
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) md.update(nl);
            md.update(lines.get(i).getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder sb = new StringBuilder(64);
        for (byte b : md.digest()) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
