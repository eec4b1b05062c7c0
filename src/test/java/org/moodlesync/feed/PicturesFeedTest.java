package org.moodlesync.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.moodlesync.moodle.UserPictures;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;
import org.moodlesync.support.PictureArchives;
import org.moodlesync.support.SyncFixture;

/** userpictures_*.zip through the real route, into a temporary dataroot. */
class PicturesFeedTest {
    @TempDir
    Path tmp;
    SyncFixture sync;
    Path dataroot;

    @BeforeEach
    void start() throws Exception {
        dataroot = tmp.resolve("moodledata");
        sync = new SyncFixture(tmp);
        sync.set("moodle.dataroot", dataroot.toString());
        sync.feed("users", "userimport.csv", "username;firstname;lastname\nann;Ann;One\nbob;Bob;Two\n");
    }

    @AfterEach
    void stop() throws Exception {
        // with the dataroot set, this also checks every file row's content against the pool
        sync.checkAndClose();
    }

    private static byte[] image(String format, Color color, int w, int h) throws Exception {
        return PictureArchives.image(format, color, w, h);
    }

    private Path zip(String name, Map<String, byte[]> entries) throws Exception {
        return PictureArchives.zip(tmp.resolve("files").resolve(name), entries);
    }

    @Test
    void picturesAreStoredAsMoodleStoresThem() throws Exception {
        Path archive = zip("userpictures_2026.zip", Map.of("photos/ann.png", image("png", Color.RED, 300, 200), "bob.jpg", image("jpg", Color.BLUE, 80, 120),
                "nobody.png", image("png", Color.GREEN, 10, 10), "readme.txt", "not an image".getBytes()));
        RunSummary s = sync.app().process("pictures", archive, false);
        assertEquals(2, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals(2, s.failed());
        assertTrue(s.tryback().getFileName().toString().matches("userpictures_2026_tryback_\\d{8}-\\d{6}\\.zip"), s.tryback().toString());
        try (java.util.zip.ZipFile tryback = new java.util.zip.ZipFile(s.tryback().toFile())) {
            assertEquals(List.of("nobody.png", "readme.txt"), tryback.stream().map(ZipEntry::getName).sorted().toList(), "the tryback holds the failed entries");
            assertEquals("not an image", new String(tryback.getInputStream(tryback.getEntry("readme.txt")).readAllBytes()));
        }
        long ann = sync.count("SELECT id FROM mdl_user WHERE username = 'ann'");
        List<Map<String, String>> files = sync.rows("SELECT f.* FROM mdl_files f JOIN mdl_context x ON x.id = f.contextid AND x.contextlevel = 30 AND x.instanceid = ?"
                + " WHERE f.component = 'user' AND f.filearea = 'icon' ORDER BY f.filename", ann);
        assertEquals(List.of(".", "f1.png", "f2.png", "f3.png"), files.stream().map(f -> f.get("filename")).toList());
        assertEquals("da39a3ee5e6b4b0d3255bfef95601890afd80709", files.get(0).get("contenthash"));
        assertEquals(files.get(1).get("id"), sync.scalar("SELECT picture::text FROM mdl_user WHERE id = ?", ann));
        String ctx = files.get(1).get("contextid");
        assertEquals(UserPictures.sha1(("/" + ctx + "/user/icon/0/f1.png").getBytes()), files.get(1).get("pathnamehash"));
        String h = files.get(1).get("contenthash");
        BufferedImage f1 = ImageIO.read(dataroot.resolve("filedir").resolve(h.substring(0, 2)).resolve(h.substring(2, 4)).resolve(h).toFile());
        assertEquals(100, f1.getWidth());
        assertEquals(100, f1.getHeight());

        RunSummary again = sync.app().process("pictures", archive, false);
        assertEquals(2, again.count(OutcomeType.UNCHANGED), "an identical image writes nothing: " + again.oneLine());
        RunSummary replaced = sync.app().process("pictures", zip("userpictures_new.zip", Map.of("ann.png", image("png", Color.BLACK, 50, 50))), false);
        assertEquals(1, replaced.count(OutcomeType.UPDATED), replaced.oneLine());
        assertTrue(Files.exists(dataroot.resolve("trashdir").resolve(h.substring(0, 2)).resolve(h.substring(2, 4)).resolve(h)),
                "the replaced icon's content goes to Moodle's trash, as file_system_filedir::remove_file does");
        assertTrue(Files.notExists(dataroot.resolve("filedir").resolve(h.substring(0, 2)).resolve(h.substring(2, 4)).resolve(h)));
        assertEquals(4, sync.count("SELECT count(*) FROM mdl_files f JOIN mdl_context x ON x.id = f.contextid AND x.instanceid = ? AND x.contextlevel = 30", ann));
    }

    @Test
    void syncDryRunAppliesToArchivesToo() throws Exception {
        sync.set("sync.dry-run", "true");
        RunSummary s = sync.app().process("pictures", zip("userpictures_dry.zip", Map.of("ann.png", image("png", Color.RED, 20, 20))), false);
        assertTrue(s.dryRun());
        assertEquals(1, s.count(OutcomeType.CREATED), s.oneLine());
        assertEquals("0", sync.scalar("SELECT picture::text FROM mdl_user WHERE username = 'ann'"), "a dry run writes nothing");
        assertEquals(0, sync.count("SELECT count(*) FROM mdl_files"));
    }

    @Test
    void hostileArchivesAreRefusedWhole() throws Exception {
        Path evil = zip("userpictures_evil.zip", Map.of("ann.png", image("png", Color.RED, 20, 20), "../../etc/bob.png", image("png", Color.RED, 20, 20)));
        RuntimeException e = assertThrows(RuntimeException.class, () -> sync.app().process("pictures", evil, false));
        assertTrue(org.moodlesync.cli.MoodleSyncCliTestAccess.rejection(e).contains("points outside the archive"));
        assertEquals("0", sync.scalar("SELECT picture::text FROM mdl_user WHERE username = 'ann'"), "nothing of a refused archive is written");
        sync.set("pictures.max-entries", "1");
        Path many = zip("userpictures_many.zip", Map.of("ann.png", image("png", Color.RED, 20, 20), "bob.png", image("png", Color.RED, 20, 20)));
        RuntimeException tooMany = assertThrows(RuntimeException.class, () -> sync.app().process("pictures", many, false));
        assertTrue(org.moodlesync.cli.MoodleSyncCliTestAccess.rejection(tooMany).contains("pictures.max-entries"));
        assertArrayEquals(new String[0], dataroot.toFile().exists() && dataroot.resolve("filedir").toFile().exists()
                ? dataroot.resolve("filedir").toFile().list() : new String[0]);
    }
}
