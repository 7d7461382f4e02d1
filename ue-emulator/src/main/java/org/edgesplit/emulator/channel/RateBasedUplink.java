package org.edgesplit.emulator.channel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event-driven uplink over a {@link RateModel}: bits left per transmission fall at the current
 * rate, and rates are recomputed whenever a UE starts or stops transmitting (as the paper does).
 */
public final class RateBasedUplink implements Uplink {
    /** Transmissions this close to done count as done (float rounding). */
    private static final double DONE_BITS = 1e-6;

    private static final class InFlight {
        final Transmission tx;
        double bitsLeft;
        double rate;
        double finishS = Double.NaN;

        InFlight(Transmission tx, double bits) {
            this.tx = tx;
            this.bitsLeft = bits;
        }
    }

    private final RateModel model;
    private final Map<Integer, InFlight> active = new LinkedHashMap<>();
    private double lastUpdateS;

    public RateBasedUplink(RateModel model) {
        this.model = model;
    }

    @Override
    public double start(Transmission tx, long bits, double nowS) {
        advance(nowS);
        InFlight f = new InFlight(tx, bits);
        active.put(tx.ue(), f);
        recompute();
        return f.rate;
    }

    @Override
    public double nextFinishS() {
        double next = Double.POSITIVE_INFINITY;
        for (InFlight f : active.values()) {
            if (f.rate > 0) {
                next = Math.min(next, lastUpdateS + f.bitsLeft / f.rate);
            }
        }
        return next;
    }

    @Override
    public List<Finished> finishedBy(double nowS) {
        advance(nowS);
        List<Finished> done = new ArrayList<>();
        active.values()
                .removeIf(
                        f -> {
                            if (f.bitsLeft <= DONE_BITS) {
                                double at = Double.isNaN(f.finishS) ? nowS : f.finishS;
                                done.add(new Finished(f.tx.ue(), Math.min(nowS, at)));
                                return true;
                            }
                            return false;
                        });
        if (!done.isEmpty()) {
            recompute();
        }
        return done;
    }

    @Override
    public void cancel(int ue) {
        if (active.remove(ue) != null) {
            recompute();
        }
    }

    private void advance(double nowS) {
        double dt = nowS - lastUpdateS;
        if (dt > 0) {
            for (InFlight f : active.values()) {
                double sent = f.rate * dt;
                if (Double.isNaN(f.finishS) && sent >= f.bitsLeft - DONE_BITS) {
                    // Rates are constant between events, so the finish time is exact.
                    f.finishS = lastUpdateS + (f.rate > 0 ? f.bitsLeft / f.rate : dt);
                }
                f.bitsLeft = Math.max(0, f.bitsLeft - sent);
            }
        }
        lastUpdateS = Math.max(lastUpdateS, nowS);
    }

    private void recompute() {
        List<InFlight> list = new ArrayList<>(active.values());
        double[] rates = model.rates(list.stream().map(f -> f.tx).toList());
        for (int i = 0; i < rates.length; i++) {
            list.get(i).rate = rates[i];
        }
    }
}
