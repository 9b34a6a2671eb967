package org.weft.bench.flink;

import java.util.ArrayList;
import java.util.HashSet;

/**
 * Contents of one session window: the distinct record signatures (identical
 * lines of one source deduplicate to one record), plus what the supplements
 * need: each distinct pay_done (its signature and time, the anchor of the
 * joins) and the role ids logged by client_order.
 */
public class SessionAcc {
    public HashSet<String> sigs = new HashSet<>();
    public ArrayList<String> payDoneSigs = new ArrayList<>();
    public ArrayList<Long> payDoneTs = new ArrayList<>();
    public HashSet<String> roleIds = new HashSet<>();

    public SessionAcc() {}

    void add(Rec r) {
        if (!sigs.add(r.sig)) return; // duplicate line
        if ("pay_done".equals(r.source)) {
            payDoneSigs.add(r.sig);
            payDoneTs.add(r.ts);
        } else if ("client_order".equals(r.source) && r.roleId != null) {
            roleIds.add(r.roleId);
        }
    }

    void merge(SessionAcc o) {
        for (int i = 0; i < o.payDoneSigs.size(); i++) {
            if (!sigs.contains(o.payDoneSigs.get(i))) {
                payDoneSigs.add(o.payDoneSigs.get(i));
                payDoneTs.add(o.payDoneTs.get(i));
            }
        }
        sigs.addAll(o.sigs);
        roleIds.addAll(o.roleIds);
    }
}
