package org.edgesplit.core.planner;

import org.edgesplit.core.paper.PaperSettings;

/**
 * What a planner sees at the start of a paper-model slot: the settings, each UE's distance and the
 * paper's state vector (4 entries per UE).
 */
public record PaperObservation(
        PaperSettings settings, double[] distances, double[] state, int slot) {}
