package org.moodlesync.feed;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Moodle's process_new_icon(): the image cropped to a centred square and resampled to the three
 * icon sizes, f1 100×100, f2 35×35 and f3 512×512, all PNG. JPEG, PNG and GIF are read.
 *
 * <p>An image's size is read from its header first: one over the pixel limit is refused before a
 * byte of it is decoded, and a large one is subsampled while it is decoded, so that no raster is
 * much bigger than the largest icon needs, whatever the image declares.
 */
final class UserIcons {
    private static final Map<String, Integer> SIZES = Map.of("f1.png", 100, "f2.png", 35, "f3.png", 512);
    /** The shorter side an image is decoded to at least: twice the largest icon, for a sharp resample. */
    private static final int DECODED_SIDE = 1024;
    private static final Set<String> FORMATS = Set.of("jpeg", "png", "gif");

    private UserIcons() {
    }

    /** The three icons; throws IllegalArgumentException when the bytes are not a readable image, or one over {@code maxPixels}. */
    static Map<String, byte[]> from(byte[] image, long maxPixels) {
        BufferedImage source = decode(image, maxPixels);
        int side = Math.min(source.getWidth(), source.getHeight());
        BufferedImage square = source.getSubimage((source.getWidth() - side) / 2, (source.getHeight() - side) / 2, side, side);
        Map<String, byte[]> icons = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> size : new java.util.TreeMap<>(SIZES).entrySet()) {
            icons.put(size.getKey(), png(resize(square, size.getValue())));
        }
        return icons;
    }

    private static BufferedImage decode(byte[] image, long maxPixels) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            ImageReader reader = readers.hasNext() ? readers.next() : null;
            if (reader == null || !FORMATS.contains(reader.getFormatName().toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("not a JPEG, PNG or GIF image");
            }
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > maxPixels) {
                    throw new IllegalArgumentException("the picture is " + width + "×" + height + " pixels, more than pictures.max-pixels ("
                            + maxPixels + "): make it smaller");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, Math.min(width, height) / DECODED_SIDE);
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage decoded = reader.read(0, param);
                if (decoded == null || decoded.getWidth() < 1 || decoded.getHeight() < 1) {
                    throw new IllegalArgumentException("not a readable image (no picture in it)");
                }
                return decoded;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException known && known.getMessage() != null
                    && (known.getMessage().startsWith("the picture is") || known.getMessage().startsWith("not a"))) {
                throw known;
            }
            String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException("not a readable image (" + why + ")");
        }
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
