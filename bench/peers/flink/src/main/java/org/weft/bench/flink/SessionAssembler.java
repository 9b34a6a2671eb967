package org.weft.bench.flink;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;

/**
 * Keyed by order id: holds each final session until the watermark has passed
 * the end of its supplements' join intervals (latest pay_done + the largest
 * upper bound), collecting the callbacks and deliveries the interval joins
 * attached to its pay_done records, then emits the canonical session line.
 *
 * <p>An interval join emits a pair when its second element arrives, which is
 * never after the watermark has passed that element; so when the watermark
 * passes pay_done + upper, every record that joins that pay_done has arrived.
 * Deliveries are joined by order id (= bill_no) and kept only when their
 * role.id is a role_id of the session's client_order: together the
 * (role_id, order_id) key of the template.
 */
public class SessionAssembler extends KeyedCoProcessFunction<String, SessionOut, Attach, String> {

    private static final long serialVersionUID = 1L;

    private final long maxUpperMs;

    private transient ValueState<ArrayList<SessionOut>> pending;
    private transient MapState<String, ArrayList<Attach>> byAnchor;

    public SessionAssembler(long maxUpperMs) {
        this.maxUpperMs = maxUpperMs;
    }

    @Override
    public void open(Configuration parameters) {
        pending = getRuntimeContext().getState(
                new ValueStateDescriptor<>("pending", TypeInformation.of(new TypeHint<ArrayList<SessionOut>>() {})));
        byAnchor = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                "by-anchor", Types.STRING, TypeInformation.of(new TypeHint<ArrayList<Attach>>() {})));
    }

    static long deadline(SessionOut s, long maxUpperMs) {
        long d = Long.MIN_VALUE;
        for (long t : s.payDoneTs) d = Math.max(d, t + maxUpperMs);
        return d;
    }

    @Override
    public void processElement1(SessionOut s, Context ctx, Collector<String> out) throws Exception {
        if (s.payDoneSigs.length == 0) { // nothing can attach
            out.collect(Canonical.sessionLine(s.key, Arrays.asList(s.sigs)));
            return;
        }
        ArrayList<SessionOut> list = pending.value();
        if (list == null) list = new ArrayList<>(1);
        list.add(s);
        pending.update(list);
        ctx.timerService().registerEventTimeTimer(deadline(s, maxUpperMs));
    }

    @Override
    public void processElement2(Attach a, Context ctx, Collector<String> out) throws Exception {
        ArrayList<Attach> list = byAnchor.get(a.anchorSig);
        if (list == null) list = new ArrayList<>(2);
        list.add(a);
        byAnchor.put(a.anchorSig, list);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
        ArrayList<SessionOut> list = pending.value();
        if (list == null) return;
        for (Iterator<SessionOut> it = list.iterator(); it.hasNext(); ) {
            SessionOut s = it.next();
            if (deadline(s, maxUpperMs) > timestamp) continue;
            it.remove();
            HashSet<String> sigs = new HashSet<>(Arrays.asList(s.sigs));
            List<String> roles = Arrays.asList(s.roleIds);
            for (String anchor : s.payDoneSigs) {
                ArrayList<Attach> attached = byAnchor.get(anchor);
                if (attached == null) continue;
                for (Attach a : attached) {
                    if (a.kind == Attach.CALLBACK || roles.contains(a.roleId)) sigs.add(a.sig);
                }
                byAnchor.remove(anchor);
            }
            out.collect(Canonical.sessionLine(s.key, sigs));
        }
        if (list.isEmpty()) pending.clear();
        else pending.update(list);
    }
}
