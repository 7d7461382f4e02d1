package org.edgesplit.core.streaming;

import java.util.ArrayList;
import java.util.List;
import org.edgesplit.core.model.Manifest;
import org.edgesplit.core.planner.StreamingProblem;

/**
 * Builds a planning window's {@link StreamingProblem} from what was measured: UE telemetry (rate,
 * gain or distance; arrivals), the edge's measured decode + tail + queue time per (point, bits),
 * the bundle's bytes and accuracy per (point, bits), and the UE device's compute profile.
 */
public final class ProblemBuilder {
    private ProblemBuilder() {}

    public static StreamingProblem build(
            Manifest m, CellSettings cell, List<UeObservation> ues, EdgeProfile edge) {
        List<StreamingProblem.Option> options = options(m, cell, edge);
        List<StreamingProblem.Ue> out = new ArrayList<>(ues.size());
        for (UeObservation u : ues) {
            double arrivals = Math.max(0, u.arrivalRate());
            if (!Double.isNaN(u.rateBps()) && u.rateBps() > 0) {
                // A measured rate (a trace-driven or real link) is taken as given.
                out.add(StreamingProblem.Ue.withRate(u.rateBps(), arrivals, options));
            } else {
                double gain = u.gainOr(cell.pathLossExponent());
                if (Double.isNaN(gain) || gain <= 0) {
                    throw new IllegalArgumentException(
                            "UE " + u.ueId() + " reported neither a rate, a gain nor a distance");
                }
                out.add(StreamingProblem.Ue.withGain(gain, arrivals, options));
            }
        }
        return new StreamingProblem(
                cell.bandwidthHz(),
                cell.noisePsd(),
                cell.pmax(),
                cell.beta(),
                cell.edgeCapacity(),
                cell.accuracyFloor(),
                out);
    }

    /** Every (point, bits) of the bundle plus local-only, with the costs the planner weighs. */
    static List<StreamingProblem.Option> options(Manifest m, CellSettings cell, EdgeProfile edge) {
        List<StreamingProblem.Option> options = new ArrayList<>();
        DeviceProfile device = cell.device();
        for (Manifest.Point p : m.points()) {
            for (Manifest.Level l : p.levels()) {
                double tailS =
                        p.tailLatencyMs() != null && p.tailLatencyMs().get("1") != null
                                ? p.tailLatencyMs().get("1") / 1000.0
                                : (p.tailFlops() == null ? 0.0 : p.tailFlops() / 1e10);
                options.add(
                        new StreamingProblem.Option(
                                p.point(),
                                l.bits(),
                                l.payloadBytes(),
                                device.latencyS(p.point()),
                                device.computeEnergyJ(p.point()),
                                edge.edgeSeconds(p.point(), l.bits(), tailS),
                                l.accuracy() == null ? 0.0 : l.accuracy()));
            }
        }
        int local = m.localPoint();
        options.add(
                new StreamingProblem.Option(
                        local,
                        0,
                        0,
                        device.latencyS(local),
                        device.computeEnergyJ(local),
                        0.0,
                        m.full().accuracy() == null ? 0.0 : m.full().accuracy()));
        return options;
    }
}
