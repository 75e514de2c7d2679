package org.lifeline.campaigns;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.ReaderException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/**
 * QR codes for material that is photocopied badly and filmed off screens: the highest error correction (H, about
 * 30% of the code may be lost) and a quiet zone of {@value #QUIET_ZONE} modules, twice the standard's minimum, so a
 * reader finds the code on a busy background.
 */
public final class QrCodes {

    /** Light modules around the code, on every side. */
    public static final int QUIET_ZONE = 8;

    private static final int DARK = 0xFF000000;
    private static final int LIGHT = 0xFFFFFFFF;

    private QrCodes() {
    }

    /** One bit per module, quiet zone included ({@code true} is dark). */
    public static BitMatrix matrix(String content) {
        try {
            // size 0: one pixel per module, so the matrix is the code itself
            return new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.H,
                            EncodeHintType.MARGIN, QUIET_ZONE,
                            EncodeHintType.CHARACTER_SET, "UTF-8"));
        } catch (WriterException e) {
            throw new IllegalArgumentException("Too long for a QR code", e);
        }
    }

    /** Black on white, {@code pixelsPerModule} pixels a module. */
    public static BufferedImage image(String content, int pixelsPerModule) {
        if (pixelsPerModule < 1) {
            throw new IllegalArgumentException("pixelsPerModule must be at least 1");
        }
        return image(matrix(content), pixelsPerModule);
    }

    /** {@code matrix} (quiet zone included) black on white, {@code pixelsPerModule} pixels a module. */
    public static BufferedImage image(BitMatrix matrix, int pixelsPerModule) {
        var image = new BufferedImage(matrix.getWidth() * pixelsPerModule, matrix.getHeight() * pixelsPerModule,
                BufferedImage.TYPE_BYTE_BINARY);
        for (var y = 0; y < image.getHeight(); y++) {
            for (var x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, matrix.get(x / pixelsPerModule, y / pixelsPerModule) ? DARK : LIGHT);
            }
        }
        return image;
    }

    /**
     * Whether ZXing's reader reads the code back as {@code content}, both as drawn and shrunk to a third and
     * blurred (a bad photocopy). A few data patterns in a few hundred confuse its detector; a campaign draws
     * another entry code rather than print one of those.
     */
    public static boolean readsBack(String content) {
        return readsBack(matrix(content), 20, content);
    }

    /**
     * Whether ZXing's reader reads {@code matrix} (quiet zone included) back as {@code content} when drawn at
     * {@code pixelsPerModule}: as drawn and shrunk to a third and blurred, each both as a quick scan and trying
     * harder (the two search differently, and a pattern that one finds the other may miss).
     */
    public static boolean readsBack(BitMatrix matrix, int pixelsPerModule, String content) {
        var image = image(matrix, pixelsPerModule);
        return reads(image, content) && reads(blurred(shrunk(image, 3)), content);
    }

    private static boolean reads(BufferedImage image, String content) {
        var pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        for (var hints : List.<Map<DecodeHintType, ?>>of(Map.of(), Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE))) {
            try {
                if (!content.equals(new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                        new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels))), hints).getText())) {
                    return false;
                }
            } catch (ReaderException e) {
                return false;
            }
        }
        return true;
    }

    private static BufferedImage shrunk(BufferedImage image, int factor) {
        var shrunk = new BufferedImage(image.getWidth() / factor, image.getHeight() / factor, BufferedImage.TYPE_INT_RGB);
        var graphics = shrunk.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.drawImage(image, 0, 0, shrunk.getWidth(), shrunk.getHeight(), null);
        graphics.dispose();
        return shrunk;
    }

    /** A 5 × 5 box blur of the grey levels. */
    private static BufferedImage blurred(BufferedImage image) {
        var width = image.getWidth();
        var height = image.getHeight();
        var blurred = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (var y = 0; y < height; y++) {
            for (var x = 0; x < width; x++) {
                int sum = 0;
                int count = 0;
                for (var ny = Math.max(0, y - 2); ny <= Math.min(height - 1, y + 2); ny++) {
                    for (var nx = Math.max(0, x - 2); nx <= Math.min(width - 1, x + 2); nx++) {
                        sum += image.getRGB(nx, ny) & 0xFF;
                        count++;
                    }
                }
                var grey = sum / count;
                blurred.setRGB(x, y, 0xFF000000 | grey << 16 | grey << 8 | grey);
            }
        }
        return blurred;
    }

    /**
     * The code as SVG, one unit a module, drawn from the bit matrix: it scales to any print size without blurring.
     * The white background is part of the image, so the quiet zone survives being placed on a dark design.
     */
    public static String svg(String content) {
        var matrix = matrix(content);
        var path = new StringBuilder();
        for (var y = 0; y < matrix.getHeight(); y++) {
            for (var x = 0; x < matrix.getWidth(); x++) {
                if (matrix.get(x, y)) {
                    path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                }
            }
        }
        var width = matrix.getWidth();
        var height = matrix.getHeight();
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%dmm" height="%dmm" shape-rendering="crispEdges">
                <rect width="%d" height="%d" fill="#fff"/>
                <path fill="#000" d="%s"/>
                </svg>
                """.formatted(width, height, width, height, width, height, path);
    }
}
