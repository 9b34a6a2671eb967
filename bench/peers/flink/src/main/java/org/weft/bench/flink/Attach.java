package org.weft.bench.flink;

/** A supplement record joined to a pay_done: attached to the session holding that pay_done. */
public class Attach {
    public static final int CALLBACK = 0;
    public static final int DELIVERY = 1;

    /** Order id of the pay_done (the session's business key). */
    public String key;
    /** Signature of the pay_done the record joined (the anchor). */
    public String anchorSig;
    /** Signature of the supplement record. */
    public String sig;
    public int kind;
    /** delivery: role.id, checked against the session's role_id; null for callbacks. */
    public String roleId;

    public Attach() {}

    public Attach(String key, String anchorSig, String sig, int kind, String roleId) {
        this.key = key;
        this.anchorSig = anchorSig;
        this.sig = sig;
        this.kind = kind;
        this.roleId = roleId;
    }
}
