package org.weft.bench.flink;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.co.ProcessJoinFunction;
import org.apache.flink.util.Collector;

/** The interval joins' pair functions and the late-data counter. */
final class Joins {

    private Joins() {}

    /** pay_done ⋈ channel_callback on trans_id. */
    static final class CallbackToAttach extends ProcessJoinFunction<Rec, Rec, Attach> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(Rec payDone, Rec callback, Context ctx, Collector<Attach> out) {
            out.collect(new Attach(payDone.key, payDone.sig, callback.sig, Attach.CALLBACK, null));
        }
    }

    /** pay_done ⋈ delivery on order id = bill_no; the role is checked by the assembler. */
    static final class DeliveryToAttach extends ProcessJoinFunction<Rec, Rec, Attach> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(Rec payDone, Rec delivery, Context ctx, Collector<Attach> out) {
            out.collect(new Attach(payDone.key, payDone.sig, delivery.sig, Attach.DELIVERY, delivery.roleId));
        }
    }

    /** Counts the records of a late-data side output into an accumulator and emits nothing. */
    static final class CountLate extends RichFlatMapFunction<Rec, Rec> {
        private static final long serialVersionUID = 1L;
        private final String name;
        private transient LongCounter counter;

        CountLate(String name) {
            this.name = name;
        }

        @Override
        public void open(Configuration parameters) {
            counter = getRuntimeContext().getLongCounter(name);
        }

        @Override
        public void flatMap(Rec value, Collector<Rec> out) {
            counter.add(1L);
        }
    }
}
