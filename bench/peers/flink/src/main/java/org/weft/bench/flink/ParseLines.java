package org.weft.bench.flink;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.Collector;

/** Raw lines of one source file to records; dead letters are dropped and counted. */
public class ParseLines extends RichFlatMapFunction<String, Rec> {

    private static final long serialVersionUID = 1L;

    private final String source;
    private transient RawParser parser;
    private transient LongCounter in;
    private transient LongCounter dropped;

    public ParseLines(String source) {
        this.source = source;
    }

    @Override
    public void open(Configuration parameters) {
        parser = new RawParser(source);
        in = getRuntimeContext().getLongCounter("records_in." + source);
        dropped = getRuntimeContext().getLongCounter("dropped." + source);
    }

    @Override
    public void flatMap(String line, Collector<Rec> out) {
        if (RawParser.isBlank(line)) return;
        in.add(1L);
        Rec r = parser.parse(line);
        if (r == null) dropped.add(1L);
        else out.collect(r);
    }
}
