package org.weft.bench.flink;

import org.apache.flink.api.common.functions.ReduceFunction;
import org.apache.flink.api.common.state.ReducingState;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

import java.util.List;

/**
 * The platform's session trigger (shared/conformance/README.md, "session"),
 * without its processing-time timeout:
 *
 * <ul>
 *   <li>on every element, once all baseline sources are present in the
 *       (merged) window: FIRE ("complete", an early update; nothing is purged);
 *   <li>when the watermark reaches the window's end - 1: FIRE_AND_PURGE
 *       ("final"), whether or not it fired before.
 * </ul>
 *
 * Which baseline sources a window holds is a bit mask in a ReducingState
 * (OR), so it merges with the session windows.
 *
 * <p>The timeout (fire when the window changed and no element came for T of
 * processing time) is left out: over a bounded file input the final
 * watermark (Long.MAX_VALUE) arrives as soon as the files are read, so a
 * processing-time timer could never fire before the final firing.
 */
public class CompleteOrFinalTrigger extends Trigger<Rec, TimeWindow> {

    private static final long serialVersionUID = 1L;

    private final List<String> baseline;
    private final int completeMask;

    private final ReducingStateDescriptor<Integer> seenDesc =
            new ReducingStateDescriptor<>("baseline-seen", (ReduceFunction<Integer>) (a, b) -> a | b, Types.INT);

    public CompleteOrFinalTrigger(List<String> baseline) {
        this.baseline = List.copyOf(baseline);
        this.completeMask = (1 << baseline.size()) - 1;
    }

    @Override
    public TriggerResult onElement(Rec element, long timestamp, TimeWindow window, TriggerContext ctx)
            throws Exception {
        ctx.registerEventTimeTimer(window.maxTimestamp());
        int bit = baseline.indexOf(element.source);
        ReducingState<Integer> seen = ctx.getPartitionedState(seenDesc);
        if (bit >= 0) seen.add(1 << bit);
        Integer mask = seen.get();
        return mask != null && mask == completeMask ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return time == window.maxTimestamp() ? TriggerResult.FIRE_AND_PURGE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
    }

    @Override
    public boolean canMerge() {
        return true;
    }

    @Override
    public void onMerge(TimeWindow window, OnMergeContext ctx) {
        ctx.mergePartitionedState(seenDesc);
        // as EventTimeTrigger: only a timer the watermark has not passed yet
        if (window.maxTimestamp() > ctx.getCurrentWatermark()) {
            ctx.registerEventTimeTimer(window.maxTimestamp());
        }
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        ctx.getPartitionedState(seenDesc).clear();
    }

    @Override
    public String toString() {
        return "CompleteOrFinalTrigger(" + baseline + ")";
    }
}
