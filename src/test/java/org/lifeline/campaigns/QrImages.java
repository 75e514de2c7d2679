package org.lifeline.campaigns;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.regex.Pattern;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

/** Reading QR codes back as a phone would, after the damage print and film do. */
public final class QrImages {

    private static final Pattern SVG_MODULE = Pattern.compile("M(\\d+) (\\d+)h1v1h-1z");
    private static final Pattern SVG_VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");

    private QrImages() {
    }

    /** ZXing's reader, without hints that would make it try harder than a phone's camera app. */
    public static Result decode(BufferedImage image) throws Exception {
        var pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
        return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.CHARACTER_SET, "UTF-8", DecodeHintType.TRY_HARDER, Boolean.TRUE));
    }

    /** Scaled by {@code factor} with bilinear interpolation, as a photocopier or a camera averages pixels. */
    public static BufferedImage scaled(BufferedImage image, double factor) {
        var width = (int) Math.round(image.getWidth() * factor);
        var height = (int) Math.round(image.getHeight() * factor);
        var scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var graphics = scaled.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.drawImage(image, 0, 0, width, height, null);
        graphics.dispose();
        return scaled;
    }

    /** A box blur: every pixel the mean grey of the square of side {@code 2 * radius + 1} around it. */
    public static BufferedImage blurred(BufferedImage image, int radius) {
        var width = image.getWidth();
        var height = image.getHeight();
        var grey = new int[width * height];
        for (var y = 0; y < height; y++) {
            for (var x = 0; x < width; x++) {
                var rgb = image.getRGB(x, y);
                grey[y * width + x] = (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / 3;
            }
        }
        var blurred = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (var y = 0; y < height; y++) {
            for (var x = 0; x < width; x++) {
                int sum = 0;
                int count = 0;
                for (var dy = -radius; dy <= radius; dy++) {
                    for (var dx = -radius; dx <= radius; dx++) {
                        var nx = x + dx;
                        var ny = y + dy;
                        if (nx >= 0 && ny >= 0 && nx < width && ny < height) {
                            sum += grey[ny * width + nx];
                            count++;
                        }
                    }
                }
                var mean = sum / count;
                blurred.setRGB(x, y, (mean << 16) | (mean << 8) | mean);
            }
        }
        return blurred;
    }

    /** Draws an SVG as {@link QrCodes#svg} writes it, {@code pixelsPerUnit} pixels a module. */
    public static BufferedImage rendered(String svg, int pixelsPerUnit) {
        var viewBox = SVG_VIEW_BOX.matcher(svg);
        if (!viewBox.find()) {
            throw new IllegalArgumentException("no viewBox");
        }
        var width = Integer.parseInt(viewBox.group(1)) * pixelsPerUnit;
        var height = Integer.parseInt(viewBox.group(2)) * pixelsPerUnit;
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var graphics = image.createGraphics();
        graphics.setColor(java.awt.Color.WHITE);
        graphics.fillRect(0, 0, width, height);
        graphics.setColor(java.awt.Color.BLACK);
        var module = SVG_MODULE.matcher(svg);
        while (module.find()) {
            graphics.fillRect(Integer.parseInt(module.group(1)) * pixelsPerUnit,
                    Integer.parseInt(module.group(2)) * pixelsPerUnit, pixelsPerUnit, pixelsPerUnit);
        }
        graphics.dispose();
        return image;
    }
}
