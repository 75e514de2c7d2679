package org.lifeline.campaigns.material;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import org.lifeline.campaigns.QrCodes;

/**
 * A QR code at error correction level H (about 30% of it may be lost: a fold, a stain, a glare on a screen), drawn
 * with a quiet zone of {@link #QUIET_ZONE} modules, the least the standard allows, on a white ground.
 */
final class QrCode {

    static final int QUIET_ZONE = 4;
    /** The standard's mask patterns, 0 to 7. */
    private static final int MASKS = 8;

    private final String link;
    private final ByteMatrix matrix;

    private QrCode(String link, ByteMatrix matrix) {
        this.link = link;
        this.matrix = matrix;
    }

    static QrCode of(String link) {
        return new QrCode(link, encode(link, hints(link)));
    }

    /**
     * This code, or the same link under another of the standard's eight masks, such that ZXing's reader reads it
     * back when drawn about {@code sidePixels} across, quiet zone included, and when that is shrunk to a third and
     * blurred. A few data patterns in a few hundred defeat its finder at one size and not at another (a clean
     * 1920 × 1080 end card failed to scan about once in 150); any reader decodes every mask alike.
     */
    QrCode readableAt(int sidePixels) {
        var hints = hints(link);
        var code = this;
        for (int mask = -1; mask < MASKS; mask++) {
            if (mask >= 0) {
                hints.put(EncodeHintType.QR_MASK_PATTERN, mask);
                code = new QrCode(link, encode(link, hints));
            }
            if (QrCodes.readsBack(code.withQuietZone(), Math.max(1, sidePixels / code.sizeWithQuietZone()), link)) {
                return code;
            }
        }
        throw new IllegalArgumentException("No mask makes a QR code of this link that reads back; use another link");
    }

    private static Map<EncodeHintType, Object> hints(String link) {
        // a link is ASCII as a rule; only one that is not gets the UTF-8 marker, which costs modules and which
        // some old readers stumble on
        var hints = new HashMap<EncodeHintType, Object>();
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(link)) {
            hints.put(EncodeHintType.CHARACTER_SET, "UTF-8");
        }
        return hints;
    }

    private static ByteMatrix encode(String link, Map<EncodeHintType, Object> hints) {
        try {
            return Encoder.encode(link, ErrorCorrectionLevel.H, hints).getMatrix();
        } catch (WriterException e) {
            throw new IllegalArgumentException("The link cannot be put in a QR code: " + e.getMessage(), e);
        }
    }

    /** The code with its quiet zone, one bit a module. */
    private BitMatrix withQuietZone() {
        var bits = new BitMatrix(sizeWithQuietZone());
        for (int row = 0; row < size(); row++) {
            for (int column = 0; column < size(); column++) {
                if (matrix.get(column, row) == 1) {
                    bits.set(QUIET_ZONE + column, QUIET_ZONE + row);
                }
            }
        }
        return bits;
    }

    /** Modules a side, without the quiet zone. */
    int size() {
        return matrix.getWidth();
    }

    /** Modules a side with the quiet zone on both sides. */
    int sizeWithQuietZone() {
        return size() + 2 * QUIET_ZONE;
    }

    /**
     * Draws the code with its quiet zone's top left corner at {@code (x, y)}. Dark modules next to each other in a
     * row are one rectangle, so that no seam of background shows between them when the page is rasterised.
     */
    void draw(Canvas canvas, float x, float y, float module) {
        for (int row = 0; row < size(); row++) {
            int column = 0;
            while (column < size()) {
                if (matrix.get(column, row) != 1) {
                    column++;
                    continue;
                }
                int start = column;
                while (column < size() && matrix.get(column, row) == 1) {
                    column++;
                }
                canvas.dark(x + (QUIET_ZONE + start) * module, y + (QUIET_ZONE + row) * module,
                        (column - start) * module, module);
            }
        }
    }
}
