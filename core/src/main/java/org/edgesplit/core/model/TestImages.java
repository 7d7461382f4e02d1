package org.edgesplit.core.model;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Labelled images in IDX format (Fashion-MNIST's own), as shipped in a bundle ({@code
 * test-images.idx3-ubyte}, {@code test-labels.idx1-ubyte}) or gzipped in the dataset.
 */
public record TestImages(int count, int rows, int cols, byte[] pixels, int[] labels) {
    public static final String IMAGES = "test-images.idx3-ubyte";
    public static final String LABELS = "test-labels.idx1-ubyte";
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    /** The test subset shipped in a bundle folder. */
    public static TestImages fromBundle(Path bundleDir) throws IOException {
        return read(bundleDir.resolve(IMAGES), bundleDir.resolve(LABELS));
    }

    public static TestImages read(Path images, Path labels) throws IOException {
        try (DataInputStream in = open(images)) {
            if (in.readInt() != IMAGES_MAGIC) {
                throw new IOException(images + " is not an IDX image file");
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            byte[] pixels = new byte[n * rows * cols];
            in.readFully(pixels);
            int[] y = readLabels(labels, n);
            return new TestImages(n, rows, cols, pixels, y);
        }
    }

    private static int[] readLabels(Path labels, int expected) throws IOException {
        try (DataInputStream in = open(labels)) {
            if (in.readInt() != LABELS_MAGIC) {
                throw new IOException(labels + " is not an IDX label file");
            }
            int n = in.readInt();
            if (n != expected) {
                throw new IOException(labels + " has " + n + " labels for " + expected + " images");
            }
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = in.readUnsignedByte();
            }
            return y;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        return new DataInputStream(new java.io.BufferedInputStream(in));
    }

    public int pixelsPerImage() {
        return rows * cols;
    }

    /** The raw 8-bit pixels of image {@code i}. */
    public byte[] image(int i) {
        byte[] out = new byte[pixelsPerImage()];
        System.arraycopy(pixels, i * pixelsPerImage(), out, 0, out.length);
        return out;
    }

    /** Images {@code from .. from+n-1} as floats in [0,1], one after the other. */
    public float[] floats(int from, int n, double pixelScale) {
        int per = pixelsPerImage();
        float[] out = new float[n * per];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((pixels[from * per + i] & 0xFF) / pixelScale);
        }
        return out;
    }
}
