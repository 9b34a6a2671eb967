package org.weft.bench.flink;

/** One firing of a session window: an early update or the final version. */
public class SessionOut {
    public String key;
    public long start;
    /** Exclusive end of the session window. */
    public long end;
    public boolean isFinal;
    public String[] sigs;
    public String[] payDoneSigs;
    public long[] payDoneTs;
    public String[] roleIds;

    public SessionOut() {}
}
