package org.weft.bench.flink;

/**
 * One accepted input record, reduced to what the correlation needs. A Flink
 * POJO (public fields, no-arg constructor) so it is shipped with Flink's
 * PojoSerializer, not Kryo.
 */
public class Rec {
    /** Source id: client_order, pay_page, receipt, pay_done, channel_callback, delivery. */
    public String source;
    /** Join key: the order id for the baseline sources, trans_id for callbacks, bill_no for deliveries. */
    public String key;
    /** Event time, epoch milliseconds. */
    public long ts;
    /** Canonical record signature {@code <source>:<ts>:<sha256 hex of the raw line>}. */
    public String sig;
    /** pay_done.trans_id (null when absent or not convertible to a string). */
    public String transId;
    /** client_order.role_id or delivery role.id (null when absent). */
    public String roleId;

    public Rec() {}

    public Rec(String source, String key, long ts, String sig, String transId, String roleId) {
        this.source = source;
        this.key = key;
        this.ts = ts;
        this.sig = sig;
        this.transId = transId;
        this.roleId = roleId;
    }

    @Override
    public String toString() {
        return sig + "{key=" + key + ", transId=" + transId + ", roleId=" + roleId + "}";
    }
}
