package org.weft.bench.flink;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a firing into a SessionOut. A firing is final when the watermark has
 * reached the window's end - 1 (the event-time timer fired); an early firing
 * happens on an element, which is never late, so the watermark is below it.
 */
public class EmitSession extends ProcessWindowFunction<SessionAcc, SessionOut, String, TimeWindow> {

    private static final long serialVersionUID = 1L;

    private transient LongCounter earlyFires;
    private transient LongCounter finalFires;

    @Override
    public void open(Configuration parameters) {
        earlyFires = getRuntimeContext().getLongCounter("early_fires");
        finalFires = getRuntimeContext().getLongCounter("final_fires");
    }

    @Override
    public void process(String key, Context ctx, Iterable<SessionAcc> elements, Collector<SessionOut> out) {
        SessionAcc acc = elements.iterator().next();
        TimeWindow w = ctx.window();
        SessionOut s = new SessionOut();
        s.key = key;
        s.start = w.getStart();
        s.end = w.getEnd();
        s.isFinal = ctx.currentWatermark() >= w.maxTimestamp();
        (s.isFinal ? finalFires : earlyFires).add(1L);
        s.sigs = acc.sigs.toArray(new String[0]);
        s.payDoneSigs = acc.payDoneSigs.toArray(new String[0]);
        s.payDoneTs = acc.payDoneTs.stream().mapToLong(Long::longValue).toArray();
        s.roleIds = acc.roleIds.toArray(new String[0]);
        out.collect(s);
    }
}
