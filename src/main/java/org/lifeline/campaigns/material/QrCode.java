package org.lifeline.campaigns.material;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;

/**
 * A QR code at error correction level H (about 30% of it may be lost: a fold, a stain, a glare on a screen), drawn
 * with a quiet zone of {@link #QUIET_ZONE} modules, the least the standard allows, on a white ground.
 */
final class QrCode {

    static final int QUIET_ZONE = 4;

    private final ByteMatrix matrix;

    private QrCode(ByteMatrix matrix) {
        this.matrix = matrix;
    }

    static QrCode of(String link) {
        try {
            // a link is ASCII as a rule; only one that is not gets the UTF-8 marker, which costs modules and which
            // some old readers stumble on
            var hints = StandardCharsets.US_ASCII.newEncoder().canEncode(link)
                    ? Map.<EncodeHintType, Object>of() : Map.<EncodeHintType, Object>of(EncodeHintType.CHARACTER_SET, "UTF-8");
            return new QrCode(Encoder.encode(link, ErrorCorrectionLevel.H, hints).getMatrix());
        } catch (WriterException e) {
            throw new IllegalArgumentException("The link cannot be put in a QR code: " + e.getMessage(), e);
        }
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
