package org.edgesplit.core.codec;

/**
 * Packs unsigned n-bit codes (1..8 bits) densely, most significant bit first; the last byte is
 * zero-padded. 8, 4 and 2 bits take fast paths since those are the levels the models use.
 */
public final class BitPacking {
    public static final int MIN_BITS = 1;
    public static final int MAX_BITS = 8;

    private BitPacking() {}

    /** Bytes needed for {@code count} codes of {@code bits} bits. */
    public static long packedBytes(long count, int bits) {
        checkBits(bits);
        return (count * bits + 7) / 8;
    }

    public static byte[] pack(int[] codes, int bits) {
        checkBits(bits);
        byte[] out = new byte[(int) packedBytes(codes.length, bits)];
        int max = (1 << bits) - 1;
        for (int code : codes) {
            if (code < 0 || code > max) {
                throw new IllegalArgumentException(
                        "code " + code + " does not fit in " + bits + " bits");
            }
        }
        switch (bits) {
            case 8 -> {
                for (int i = 0; i < codes.length; i++) {
                    out[i] = (byte) codes[i];
                }
            }
            case 4 -> {
                for (int i = 0; i < codes.length; i++) {
                    out[i >> 1] |= (byte) (codes[i] << ((i & 1) == 0 ? 4 : 0));
                }
            }
            case 2 -> {
                for (int i = 0; i < codes.length; i++) {
                    out[i >> 2] |= (byte) (codes[i] << (6 - 2 * (i & 3)));
                }
            }
            default -> {
                long bitPos = 0;
                for (int code : codes) {
                    for (int b = bits - 1; b >= 0; b--, bitPos++) {
                        if (((code >> b) & 1) != 0) {
                            out[(int) (bitPos >> 3)] |= (byte) (0x80 >>> (bitPos & 7));
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Unpacks {@code count} codes starting at {@code offset} of {@code packed} into {@code out}.
     * The caller has checked that the packed length matches.
     */
    public static void unpack(byte[] packed, int offset, int count, int bits, int[] out) {
        checkBits(bits);
        switch (bits) {
            case 8 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = packed[offset + i] & 0xFF;
                }
            }
            case 4 -> {
                for (int i = 0; i < count; i++) {
                    int b = packed[offset + (i >> 1)] & 0xFF;
                    out[i] = (i & 1) == 0 ? b >>> 4 : b & 0x0F;
                }
            }
            case 2 -> {
                for (int i = 0; i < count; i++) {
                    int b = packed[offset + (i >> 2)] & 0xFF;
                    out[i] = (b >>> (6 - 2 * (i & 3))) & 0x03;
                }
            }
            default -> {
                long bitPos = 0;
                for (int i = 0; i < count; i++) {
                    int code = 0;
                    for (int b = 0; b < bits; b++, bitPos++) {
                        int bit = (packed[offset + (int) (bitPos >> 3)] >>> (7 - (bitPos & 7))) & 1;
                        code = (code << 1) | bit;
                    }
                    out[i] = code;
                }
            }
        }
    }

    public static int[] unpack(byte[] packed, int count, int bits) {
        int[] out = new int[count];
        unpack(packed, 0, count, bits, out);
        return out;
    }

    static void checkBits(int bits) {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException(
                    "bits per code must be " + MIN_BITS + ".." + MAX_BITS + ", got " + bits);
        }
    }
}
