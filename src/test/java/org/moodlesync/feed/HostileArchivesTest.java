package org.moodlesync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.support.ChildInstance;
import org.moodlesync.support.PictureArchives;
import org.moodlesync.support.SyncFixture;
import org.moodlesync.support.TestDatabases;

/**
 * Hostile picture archives, imported by {@code moodle-sync import} in a JVM of its own with a 256 MB heap: a
 * lying zip bomb (1 GiB of zeros whose archive declares 1,000 bytes) and a PNG whose header declares 30000×30000
 * pixels each fail as one entry with a clear message, and the good picture beside them is applied.
 */
class HostileArchivesTest {
    @TempDir
    Path tmp;

    @Test
    void aLyingZipBombAndAHugePngFailAloneInA256MegabyteHeap() throws Exception {
        try (SyncFixture sync = new SyncFixture(tmp.resolve("sync"))) {
            Path dataroot = Files.createDirectories(tmp.resolve("dataroot"));
            sync.set(ConfigKeys.DATAROOT, dataroot.toString());
            sync.feed("users", "userimport.csv", "username;firstname;lastname\nann;Ann;One\nbob;Bob;Two\n");
            Path config = ChildInstance.writeConfig(tmp.resolve("import.properties"), Map.of(
                    "moodle.db.url", sync.dbUrl, "moodle.db.user", TestDatabases.user(), "moodle.db.password", TestDatabases.password(),
                    "moodle.dataroot", dataroot.toString(), "sync.reports", tmp.resolve("reports").toString(),
                    "sync.archive", tmp.resolve("archive").toString(), "sync.failed", tmp.resolve("failed").toString()));

            Path bomb = lyingBomb(tmp.resolve("userpictures_bomb.zip"));
            Result bombRun = importInSmallHeap(bomb, config);
            assertEquals(1, bombRun.exit(), "one entry failed, the good one applied: " + bombRun.output());
            assertTrue(bombRun.report().contains("the picture unpacks to more than 20971520 bytes"), bombRun.report());
            assertTrue(Long.parseLong(sync.scalar("SELECT picture FROM mdl_user WHERE username = 'ann'")) > 0, "ann's picture is applied");

            Path huge = zip(tmp.resolve("userpictures_huge.zip"), Map.of("huge.png", hugePng(30_000, 30_000), "bob.png", picture()));
            Result hugeRun = importInSmallHeap(huge, config);
            assertEquals(1, hugeRun.exit(), hugeRun.output());
            assertTrue(hugeRun.report().contains("the picture is 30000×30000 pixels, more than pictures.max-pixels (40000000)"), hugeRun.report());
            assertTrue(Long.parseLong(sync.scalar("SELECT picture FROM mdl_user WHERE username = 'bob'")) > 0, "bob's picture is applied");
            System.out.println("hostile archives under -Xmx256m: lying zip bomb (" + Files.size(bomb) + " bytes) peak resident "
                    + bombRun.peakKb() / 1024 + " MB; 30000x30000 PNG peak resident " + hugeRun.peakKb() / 1024 + " MB");
            sync.assertMoodleConsistent();
        }
    }

    record Result(int exit, String output, String report, long peakKb) {
    }

    /** moodle-sync import pictures in a child JVM with -Xmx256m; its exit code, output, CSV report and peak resident memory. */
    private Result importInSmallHeap(Path archive, Path config) throws Exception {
        Path log = tmp.resolve(archive.getFileName() + ".log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "-D" + ConfigKeys.HOME + "=" + SyncFixture.projectHome(),
                "org.moodlesync.cli.MoodleSyncCli", "import", "pictures", archive.toString(), "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long peakKb = 0;
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peakKb = Math.max(peakKb, Long.parseLong(line.replaceAll("\\D", "")));
                    }
                }
            } catch (java.io.IOException ended) {
                // the process ended between two looks
            }
        }
        String output = Files.readString(log);
        String report = "";
        try (var reports = Files.list(tmp.resolve("reports"))) {
            String base = archive.getFileName().toString().replace(".zip", "_report_");
            for (Path r : reports.filter(f -> f.getFileName().toString().startsWith(base) && f.toString().endsWith(".csv")).toList()) {
                report += Files.readString(r);
            }
        }
        return new Result(p.exitValue(), output, report, peakKb);
    }

    /** One entry of 1 GiB of zeros whose central directory declares 1,000 bytes, and ann's good picture. */
    private static Path lyingBomb(Path file) throws Exception {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.setLevel(Deflater.BEST_SPEED);
            z.putNextEntry(new ZipEntry("bomb.png"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 1024; i++) {
                z.write(zeros);
            }
            z.closeEntry();
            z.putNextEntry(new ZipEntry("ann.png"));
            z.write(picture());
            z.closeEntry();
        }
        // the lie: the central directory's uncompressed size of bomb.png becomes 1,000
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer all = ByteBuffer.allocate((int) ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(all, 0);
            byte[] name = "bomb.png".getBytes(StandardCharsets.UTF_8);
            for (int at = all.limit() - 46; at >= 0; at--) {
                if (all.getInt(at) == 0x02014b50 && all.getShort(at + 28) == name.length
                        && new String(all.array(), at + 46, name.length, StandardCharsets.UTF_8).equals("bomb.png")) {
                    ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1000), at + 24);
                    return file;
                }
            }
        }
        throw new IllegalStateException("no central directory entry for bomb.png");
    }

    private static Path zip(Path file, Map<String, byte[]> entries) throws Exception {
        return PictureArchives.zip(file, entries);
    }

    private static byte[] picture() throws Exception {
        return PictureArchives.image("png", Color.ORANGE, 300, 200);
    }

    /** A small PNG whose header declares width×height RGB pixels, with a first bit of (black) image data. */
    private static byte[] hugePng(int width, int height) throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(width);
        d.writeInt(height);
        d.write(new byte[] {8, 2, 0, 0, 0});
        chunk(png, "IHDR", ihdr.toByteArray());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (OutputStream z = new DeflaterOutputStream(idat)) {
            z.write(new byte[width * 3 + 1]); // one row of black
        }
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws Exception {
        DataOutputStream d = new DataOutputStream(png);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

}
