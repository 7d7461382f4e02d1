package org.edgesplit.core.model;

/**
 * A bundle that cannot be used: missing file, wrong hash, or a model that disagrees with its
 * manifest.
 */
public final class BundleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
