package org.edgesplit.jobs;

/** What the edge remembers of one UE between frames. */
public class UeState {
    /** Highest frame sequence number answered so far; lower or equal ones are duplicates. */
    public long highestSeq = -1;

    /** Highest plan epoch seen on the UE's frames. */
    public long planEpoch;

    public long frames;
    public long duplicates;

    /** Processing time of the last frame; the idle timer is set from it. */
    public long lastSeenMs;

    public UeState() {}
}
