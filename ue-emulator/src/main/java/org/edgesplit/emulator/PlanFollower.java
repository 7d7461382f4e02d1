package org.edgesplit.emulator;

import org.edgesplit.avro.Plan;

/**
 * A UE's plan: a plan received from the control topic waits until the UE starts its next task (the
 * paper's rule); plans with an epoch not newer than the one held or pending are ignored.
 * Thread-safe: the control consumer offers, the UE's loop applies.
 */
public final class PlanFollower {
    private Plan current;
    private Plan pending;

    public PlanFollower(Plan initial) {
        this.current = initial;
    }

    /** Offers a plan from the control topic; returns whether it will be applied. */
    public synchronized boolean offer(Plan plan) {
        long newest = pending != null ? pending.getEpoch() : current.getEpoch();
        if (plan.getEpoch() <= newest) {
            return false;
        }
        pending = plan;
        return true;
    }

    /** Called when a task starts: applies the pending plan, if any; returns it (else null). */
    public synchronized Plan applyAtTaskStart() {
        if (pending == null) {
            return null;
        }
        current = pending;
        pending = null;
        return current;
    }

    /** The plan in force. */
    public synchronized Plan current() {
        return current;
    }

    public synchronized long epoch() {
        return current.getEpoch();
    }
}
