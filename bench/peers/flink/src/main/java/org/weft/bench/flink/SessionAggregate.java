package org.weft.bench.flink;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental, mergeable aggregation of a session window's records. */
public class SessionAggregate implements AggregateFunction<Rec, SessionAcc, SessionAcc> {

    private static final long serialVersionUID = 1L;

    @Override
    public SessionAcc createAccumulator() {
        return new SessionAcc();
    }

    @Override
    public SessionAcc add(Rec value, SessionAcc acc) {
        acc.add(value);
        return acc;
    }

    @Override
    public SessionAcc getResult(SessionAcc acc) {
        return acc;
    }

    @Override
    public SessionAcc merge(SessionAcc a, SessionAcc b) {
        a.merge(b);
        return a;
    }
}
