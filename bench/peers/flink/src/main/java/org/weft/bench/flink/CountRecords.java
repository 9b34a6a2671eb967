package org.weft.bench.flink;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.Collector;

/** Counts the records of one source ({@code records_in.<source>}) and drops and counts its dead letters. */
public class CountRecords extends RichFlatMapFunction<Rec, Rec> {

    private static final long serialVersionUID = 1L;

    private final String source;
    private transient LongCounter in;
    private transient LongCounter dropped;

    public CountRecords(String source) {
        this.source = source;
    }

    @Override
    public void open(Configuration parameters) {
        in = getRuntimeContext().getLongCounter("records_in." + source);
        dropped = getRuntimeContext().getLongCounter("dropped." + source);
    }

    @Override
    public void flatMap(Rec r, Collector<Rec> out) {
        in.add(1L);
        if (r.sig == null) dropped.add(1L);
        else out.collect(r);
    }
}
