package org.edgesplit.core.streaming;

import org.edgesplit.core.mahppo.MahppoPolicy;
import org.edgesplit.core.planner.PaperDecision;
import org.edgesplit.core.planner.Planner;
import org.edgesplit.core.planner.StreamingPlan;
import org.edgesplit.core.planner.StreamingProblem;

/**
 * Runs the paper's trained MAHPPO policy on the streaming model.
 *
 * <p>The policy was trained on the paper's episodes, so the live state is mapped onto its state
 * vector, per UE: tasks left = 0.5 while the UE has arrivals (a typical mid-episode state); compute
 * and bits left = 0 (the planner acts between tasks); distance = the UE's reported distance, or one
 * derived from its gain (d = g^(-1/alpha)) or from its measured rate (inverting Shannon on one
 * paper sub-channel at full power), normalised to the paper's [1, 100] m. UEs are planned in groups
 * of the policy's size (zero-padded). Its decision maps back as: point as is (scaled when the
 * bundle has another number of points), bits = the fewest bytes at that point meeting the accuracy
 * floor (MAHPPO does not choose compression), a sub-channel c becomes an equal share of band c
 * among the UEs that chose it, power as is.
 */
final class MahppoStreamingPlanner implements Planner<StreamingProblem, StreamingPlan> {
    private static final double PAPER_CHANNEL_HZ = 1e6;
    private static final double PAPER_NOISE_W = 1e-9;
    private static final double PAPER_ALPHA = 3;
    private static final double DMIN = 1;
    private static final double DMAX = 100;

    private final MahppoPolicy policy;
    private final int localPoint;

    MahppoStreamingPlanner(MahppoPolicy policy, int localPoint) {
        this.policy = policy;
        this.localPoint = localPoint;
    }

    @Override
    public String name() {
        return "mahppo";
    }

    @Override
    public StreamingPlan plan(StreamingProblem pr) {
        int n = pr.ues().size();
        int group = policy.users();
        int[] point = new int[n];
        int[] channel = new int[n];
        double[] power = new double[n];
        for (int from = 0; from < n; from += group) {
            double[] state = new double[4 * group];
            for (int j = 0; j < group && from + j < n; j++) {
                StreamingProblem.Ue u = pr.ues().get(from + j);
                // Between tasks with a steady stream: half an episode left, as a typical training
                // state.
                state[4 * j] = u.arrivalRate() > 0 ? 0.5 : 0.0;
                state[4 * j + 3] = normalisedDistance(pr, u);
            }
            PaperDecision d = policy.act(state);
            for (int j = 0; j < group && from + j < n; j++) {
                point[from + j] = (int) Math.round(d.points()[j] * (double) localPoint / 5.0);
                channel[from + j] = d.channels()[j];
                power[from + j] = Math.max(1e-10, Math.min(pr.pmax(), d.powers()[j]));
            }
        }
        int[] option = new int[n];
        for (int i = 0; i < n; i++) {
            option[i] =
                    StreamingPlanners.optionAt(
                            pr, pr.ues().get(i), nearestPoint(pr.ues().get(i), point[i]));
        }
        int channels = Math.max(1, policy.channels());
        int[] perChannel = new int[channels];
        for (int i = 0; i < n; i++) {
            if (pr.ues().get(i).options().get(option[i]).payloadBytes() > 0) {
                perChannel[channel[i] % channels]++;
            }
        }
        double[] share = new double[n];
        for (int i = 0; i < n; i++) {
            int c = channel[i] % channels;
            share[i] = perChannel[c] == 0 ? 0 : 1.0 / (channels * perChannel[c]);
        }
        return StreamingPlanners.evaluate(pr, option, share, power);
    }

    /**
     * The offered point closest to the policy's (a bundle may have fewer points than the paper).
     */
    static int nearestPoint(StreamingProblem.Ue u, int wanted) {
        int best = u.options().get(0).point();
        for (StreamingProblem.Option o : u.options()) {
            if (Math.abs(o.point() - wanted) < Math.abs(best - wanted)) {
                best = o.point();
            }
        }
        return best;
    }

    /** The paper's normalised distance for a UE of the streaming model. */
    static double normalisedDistance(StreamingProblem pr, StreamingProblem.Ue u) {
        double gain;
        if (u.fixedRateBps() > 0) {
            gain =
                    (Math.pow(2, u.fixedRateBps() / PAPER_CHANNEL_HZ) - 1)
                            * PAPER_NOISE_W
                            / pr.pmax();
        } else {
            gain = u.gain();
        }
        double d = gain > 0 ? Math.pow(gain, -1 / PAPER_ALPHA) : DMAX;
        return Math.max(0, Math.min(1, (d - DMIN) / (DMAX - DMIN)));
    }
}
