package org.moodlesync.feed;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Moodle's process_new_icon(): the image cropped to a centred square and resampled to the three
 * icon sizes, f1 100×100, f2 35×35 and f3 512×512, all PNG. JPEG, PNG and GIF are read.
 */
final class UserIcons {
    private static final Map<String, Integer> SIZES = Map.of("f1.png", 100, "f2.png", 35, "f3.png", 512);

    private UserIcons() {
    }

    /** The three icons; throws IllegalArgumentException when the bytes are not a readable image. */
    static Map<String, byte[]> from(byte[] image) {
        BufferedImage source;
        try {
            source = ImageIO.read(new ByteArrayInputStream(image));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable image (" + e.getMessage() + ")");
        }
        if (source == null) {
            throw new IllegalArgumentException("not a JPEG, PNG or GIF image");
        }
        int side = Math.min(source.getWidth(), source.getHeight());
        BufferedImage square = source.getSubimage((source.getWidth() - side) / 2, (source.getHeight() - side) / 2, side, side);
        Map<String, byte[]> icons = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> size : new java.util.TreeMap<>(SIZES).entrySet()) {
            icons.put(size.getKey(), png(resize(square, size.getValue())));
        }
        return icons;
    }

    private static BufferedImage resize(BufferedImage square, int size) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(square, 0, 0, size, size, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a PNG: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
