package org.edgesplit.core.mahppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PpoMathTest {
    private static final double TOL = 1e-12;

    @Test
    void gaeMatchesHandComputedValuesAcrossAnEpisodeBoundary() {
        // Steps 0,1 form an episode that ends at step 1; step 2 starts another one and is the
        // last of the rollout, so its next value is taken as 0.
        double[] r = {1, 2, 3};
        boolean[] done = {false, true, false};
        double[] v = {0.5, 1.0, 2.0};
        double gamma = 0.9;
        double lam = 0.8;
        double[] target = new double[3];
        double[] adv = new double[3];
        PpoMath.gae(r, done, v, 3, gamma, lam, target, adv);
        // t=2: target = 3 + 0.9*0 = 3, delta = 1, adv = 1
        // t=1: done -> target = 2, delta = 1, adv = 1
        // t=0: target = 1 + 0.9*1.0 = 1.9, delta = 1.4, adv = 1.4 + 0.9*0.8*1 = 2.12
        assertThat(target).containsExactly(new double[] {1.9, 2, 3}, within(TOL));
        assertThat(adv).containsExactly(new double[] {2.12, 1, 1}, within(TOL));
    }

    @Test
    void normalizeUsesUnbiasedStdPlusEpsilon() {
        double[] a = {1, 2, 3};
        PpoMath.normalize(a, 3);
        // mean 2, unbiased std 1
        double s = 1 + 1e-5;
        assertThat(a).containsExactly(new double[] {-1 / s, 0, 1 / s}, within(TOL));
    }

    @Test
    void clippedLossTakesThePessimisticTerm() {
        // A > 0, ratio above 1+eps: clipped term 1.2*2 = 2.4 is the min -> loss -2.4, no gradient
        assertThat(PpoMath.clippedLoss(1.5, 2, 0.2)).isCloseTo(-2.4, within(TOL));
        assertThat(PpoMath.clippedLossGradLogp(1.5, 2, 0.2)).isZero();
        // A > 0, ratio below 1-eps: unclipped 0.5*2 = 1 is the min -> loss -1, grad -A*ratio
        assertThat(PpoMath.clippedLoss(0.5, 2, 0.2)).isCloseTo(-1.0, within(TOL));
        assertThat(PpoMath.clippedLossGradLogp(0.5, 2, 0.2)).isCloseTo(-1.0, within(TOL));
        // A < 0, ratio above 1+eps: unclipped 1.5*-1 = -1.5 is the min -> loss 1.5, grad 1.5
        assertThat(PpoMath.clippedLoss(1.5, -1, 0.2)).isCloseTo(1.5, within(TOL));
        assertThat(PpoMath.clippedLossGradLogp(1.5, -1, 0.2)).isCloseTo(1.5, within(TOL));
        // A < 0, ratio below 1-eps: clipped 0.8*-1 is the min -> loss 0.8, no gradient
        assertThat(PpoMath.clippedLoss(0.5, -1, 0.2)).isCloseTo(0.8, within(TOL));
        assertThat(PpoMath.clippedLossGradLogp(0.5, -1, 0.2)).isZero();
        // inside the clip range both terms agree
        assertThat(PpoMath.clippedLoss(1.1, 3, 0.2)).isCloseTo(-3.3, within(TOL));
        assertThat(PpoMath.clippedLossGradLogp(1.1, 3, 0.2)).isCloseTo(-3.3, within(TOL));
    }
}
