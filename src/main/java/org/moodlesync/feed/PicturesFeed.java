package org.moodlesync.feed;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.camel.Exchange;
import org.moodlesync.moodle.Account;
import org.moodlesync.moodle.MoodleDatabase;
import org.moodlesync.moodle.MoodleSite;
import org.moodlesync.moodle.MoodleUnavailableException;
import org.moodlesync.moodle.MoodleUsers;
import org.moodlesync.moodle.UserPictures;
import org.moodlesync.pipeline.CsvHeader;
import org.moodlesync.pipeline.CsvRecord;
import org.moodlesync.pipeline.Exchanges;
import org.moodlesync.pipeline.FeedRun;
import org.moodlesync.pipeline.RunListener;
import org.moodlesync.pipeline.ZipTryback;
import org.moodlesync.pipeline.FileRejectedException;
import org.moodlesync.pipeline.Outcome;
import org.moodlesync.pipeline.OutcomeType;
import org.moodlesync.pipeline.RunSummary;

/**
 * The pictures feed (tool_sync §2.2): zip archives of images named after their users
 * ({@code jdoe.jpg} is the picture of the user whose pictures.user-identifier is jdoe), each
 * turned into Moodle's three icons and stored as Moodle stores files. An archive is checked whole
 * before anything is written: entries whose path leaves the archive, too many entries or too
 * many bytes refuse it. Each entry gets its outcome in the report; the tryback is an archive of
 * the entries that failed, to be fed again as it is.
 */
public final class PicturesFeed implements FeedProcessor {
    /** Settings of the pictures.* keys. */
    /** @param dryRun sync.dry-run: every archive is a dry run (a run can also ask for one with the MoodleSyncDryRun header) */
    public record Settings(String userIdentifier, boolean overwrite, int maxEntries, long maxBytes, long maxEntryBytes, long maxPixels,
                           Path dataroot, Path reports, boolean dryRun) {
        public Settings {
            if (!Set.of("username", "idnumber", "email", "id").contains(userIdentifier)) {
                throw new IllegalArgumentException("pictures.user-identifier must be username, idnumber, email or id (got \"" + userIdentifier + "\")");
            }
        }
    }

    private final MoodleDatabase db;
    private final Settings settings;
    private final Clock clock;
    private final RunListener listener;

    public PicturesFeed(MoodleDatabase db, Settings settings, Clock clock, RunListener listener) {
        this.db = db;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
    }

    /** Archives do not go through the CSV pipeline (routes/feed-pictures.yaml calls {@link #process}): nothing to prepare per file there. */
    @Override
    public void prepare(FeedRun run) {
    }

    static FeedDefinition definition() {
        return new FeedDefinition("pictures", "userpictures_.zip", 130, Set.of(), Set.of(), List.of(), Map.of(), null, true);
    }

    /** The route step: the archive of the exchange through the feed; the body becomes the summary. */
    public RunSummary process(Exchange exchange) {
        File file = exchange.getIn().getBody(File.class);
        String source = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        boolean dryRun = settings.dryRun() || "true".equalsIgnoreCase(exchange.getIn().getHeader(Exchanges.DRY_RUN, String.class));
        if (file == null) {
            throw new FileRejectedException(source + ": cannot read the archive");
        }
        try (ZipFile zip = new ZipFile(file)) {
            List<ZipEntry> entries = checked(source, zip);
            if (settings.dataroot() == null) {
                throw new FileRejectedException(source + ": pictures need moodle.dataroot, the folder whose filedir holds Moodle's files");
            }
            MoodleSite site = MoodleSite.load(db);
            MoodleUsers users = new MoodleUsers(db, site.schema());
            UserPictures pictures = new UserPictures(db, settings.dataroot());
            CsvHeader header = new CsvHeader(List.of("entry"), null, ';', "\n".getBytes(StandardCharsets.UTF_8), new byte[0]);
            FeedRun run = new FeedRun("pictures", source, dryRun, settings.reports(), StandardCharsets.UTF_8, clock);
            run.start(header, new ZipTryback(settings.reports(), source, run.stamp(), zip));
            exchange.setProperty(Exchanges.RUN, run);
            try {
                // Decoding and resampling images is the slow part: a batch of entries is unpacked in order,
                // turned into icons on every core, then written in order.
                // a batch holds at most BATCH entries and BATCH_BYTES of unpacked images: its memory is bounded whatever the archive holds
                for (int next = 0; next < entries.size(); ) {
                    List<Prepared> batch = new ArrayList<>();
                    long bytes = 0;
                    while (next < entries.size() && batch.size() < BATCH && bytes < BATCH_BYTES) {
                        ZipEntry entry = entries.get(next);
                        CsvRecord record = new CsvRecord(header, new String[] {entry.getName()}, next + 1, entry.getName().getBytes(StandardCharsets.UTF_8), null);
                        Prepared prepared = new Prepared(entry, record, unpack(zip, entry));
                        bytes += prepared.image == null ? 0 : prepared.image.length;
                        batch.add(prepared);
                        next++;
                    }
                    batch.parallelStream().forEach(p -> p.makeIcons(settings.maxPixels()));
                    List<String> replaced = new ArrayList<>();
                    run.recordAll(ChunkApplier.apply(db, run, batch, p -> Outcome.failed(p.record, keyOf(p), "picture", ""), (c, ps) -> {
                        List<Outcome> outcomes = new ArrayList<>();
                        for (Prepared p : ps) {
                            outcomes.add(apply(c, p, site, users, pictures, dryRun, replaced));
                        }
                        return outcomes;
                    }));
                    releaseReplaced(pictures, replaced, run);
                }
            } catch (MoodleUnavailableException lost) {
                // the entries handled so far keep their report and tryback even though the archive stops here
                run.abort(lost.getMessage());
                RunSummary partial = run.finish();
                listener.stopped(partial, lost.getMessage());
                throw new FileRejectedException(source + ": " + lost.getMessage() + "; report of the entries before: " + partial.reportHtml(), lost);
            }
            RunSummary summary = run.finish();
            listener.finished(summary);
            exchange.getIn().setBody(summary);
            return summary;
        } catch (IOException e) {
            throw new FileRejectedException(source + ": not a readable zip archive (" + e.getMessage() + ")");
        } catch (MoodleUnavailableException e) {
            throw new FileRejectedException(source + ": " + e.getMessage(), e);
        }
    }

    /** The archive's image entries, after refusing it whole when an entry could escape or it is too big. */
    private List<ZipEntry> checked(String source, ZipFile zip) {
        List<ZipEntry> entries = new ArrayList<>();
        long declared = 0;
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            ZipEntry entry = e.nextElement();
            String name = entry.getName().replace('\\', '/');
            if (name.startsWith("/") || name.contains("../") || name.equals("..") || name.matches("^[A-Za-z]:.*")) {
                throw new FileRejectedException(source + ": entry \"" + entry.getName() + "\" points outside the archive; the archive is refused");
            }
            if (entry.isDirectory() || name.substring(name.lastIndexOf('/') + 1).startsWith(".")) {
                continue;
            }
            entries.add(entry);
            declared += Math.max(entry.getSize(), 0);
            if (entries.size() > settings.maxEntries()) {
                throw new FileRejectedException(source + ": more than " + settings.maxEntries() + " entries (pictures.max-entries); the archive is refused");
            }
            if (declared > settings.maxBytes()) {
                throw new FileRejectedException(source + ": more than " + settings.maxBytes() + " bytes once unpacked (pictures.max-bytes); the archive is refused");
            }
        }
        return entries;
    }

    private static final int BATCH = 32;
    private static final long BATCH_BYTES = 32L * 1024 * 1024;

    /** An entry on its way: its bytes (or why they could not be read), then its icons (or why they could not be made). */
    private static final class Prepared {
        final ZipEntry entry;
        final CsvRecord record;
        final byte[] image;
        String problem;
        Map<String, byte[]> icons;

        Prepared(ZipEntry entry, CsvRecord record, Object unpacked) {
            this.entry = entry;
            this.record = record;
            this.image = unpacked instanceof byte[] bytes ? bytes : null;
            this.problem = unpacked instanceof String why ? why : null;
        }

        void makeIcons(long maxPixels) {
            if (image == null) {
                return;
            }
            try {
                icons = UserIcons.from(image, maxPixels);
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
    }

    /**
     * The entry's bytes, or a String saying why they could not be read. The bytes actually inflated
     * are counted, never the size the entry declares: an entry that unpacks to more than
     * pictures.max-entry-bytes fails after that many bytes, whatever its headers say.
     */
    private Object unpack(ZipFile zip, ZipEntry entry) {
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] image = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxEntryBytes() + 1));
            return image.length > settings.maxEntryBytes() ? "the picture unpacks to more than " + settings.maxEntryBytes()
                    + " bytes (pictures.max-entry-bytes), whatever size the archive declares for it" : image;
        } catch (IOException e) {
            return "cannot unpack the entry: " + e.getMessage();
        }
    }

    /** An entry's user key: its file name without folders and extension. */
    private static String userKeyOf(Prepared p) {
        String name = p.entry.getName().substring(p.entry.getName().replace('\\', '/').lastIndexOf('/') + 1);
        return name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    }

    private String keyOf(Prepared p) {
        return settings.userIdentifier() + "=" + userKeyOf(p);
    }

    /** Old icons no longer used go to Moodle's trash; failing that wastes disk space, it loses nothing. */
    private static void releaseReplaced(UserPictures pictures, List<String> replaced, FeedRun run) {
        try {
            pictures.releaseUnreferenced(replaced);
        } catch (IOException | SQLException | RuntimeException e) {
            run.note("replaced icons could not be moved to the trash of the file pool (" + e.getMessage() + "); they only take disk space");
        }
    }

    private Outcome apply(java.sql.Connection c, Prepared p, MoodleSite site, MoodleUsers users, UserPictures pictures, boolean dryRun,
                          List<String> replaced) throws SQLException {
        CsvRecord record = p.record;
        String userKey = userKeyOf(p);
        String key = keyOf(p);
        if (p.problem != null) {
            return Outcome.failed(record, key, "picture", p.problem);
        }
        Map<String, byte[]> icons = p.icons;
        String lookup = settings.userIdentifier().equals("username") ? userKey.toLowerCase(Locale.ROOT) : userKey;
        List<Account> found = users.byIdentifier(c, site.settings().mnetLocalHostId(), settings.userIdentifier(), Set.of(lookup))
                .getOrDefault(lookup, List.of());
        if (found.size() != 1) {
            return Outcome.failed(record, key, "picture", "no single account with " + settings.userIdentifier() + " " + userKey);
        }
        Account user = found.get(0);
        long context = new org.moodlesync.moodle.MoodleEnrolments(db).userContext(c, user.id());
        if (context == 0) {
            return Outcome.failed(record, key, "picture", "account " + user.username() + " has no user context in Moodle (its pictures would have nowhere to live)");
        }
        String current = pictures.currentHash(c, context);
        if (current != null && current.equals(UserPictures.sha1(icons.get("f1.png")))) {
            return new Outcome(record, key, "picture", OutcomeType.UNCHANGED, "same picture");
        }
        if (current != null && !settings.overwrite()) {
            return new Outcome(record, key, "picture", OutcomeType.UNCHANGED, "has a picture already (pictures.overwrite is off)");
        }
        if (!dryRun) {
            try {
                pictures.store(c, user.id(), context, icons, clock.instant().getEpochSecond(), replaced);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write to the file pool: " + e.getMessage(), e);
            }
        }
        return new Outcome(record, key, "picture", current == null ? OutcomeType.CREATED : OutcomeType.UPDATED,
                (current == null ? "picture set for " : "picture replaced for ") + user.username());
    }
}
