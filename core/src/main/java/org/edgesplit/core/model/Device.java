package org.edgesplit.core.model;

import java.util.Locale;

/** Where ONNX Runtime runs a bundle. */
public enum Device {
    CPU,
    CUDA;

    public static Device parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device must be cpu or cuda, got '" + text + "'");
        }
    }
}
