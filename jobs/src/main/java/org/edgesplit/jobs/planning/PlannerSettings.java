package org.edgesplit.jobs.planning;

import java.io.Serializable;
import java.time.Duration;
import org.edgesplit.core.streaming.CellSettings;

/**
 * How the planning window runs.
 *
 * @param planner planner name (see StreamingPlanners.NAMES)
 * @param policyFile MAHPPO policy file, or null for the bundled one
 * @param modelId the model the cell's UEs run
 * @param window tumbling window length
 * @param eventTime windows on telemetry timestamps instead of processing time
 * @param forgetAfterWindows a UE silent for this many windows is forgotten
 * @param deviceFactor how much slower the UE device is than this machine's ONNX Runtime
 * @param devicePowerW the UE device's compute power
 * @param cell radio and edge settings (its device is filled in from the bundle)
 */
public record PlannerSettings(
        String planner,
        String policyFile,
        String modelId,
        Duration window,
        boolean eventTime,
        int forgetAfterWindows,
        double deviceFactor,
        double devicePowerW,
        CellSettings cell)
        implements Serializable {}
