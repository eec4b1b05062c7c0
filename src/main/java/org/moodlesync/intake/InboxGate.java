package org.moodlesync.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.moodlesync.pipeline.FeedRecognizer;
import org.moodlesync.pipeline.InboxFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter of the inbox consumer: which waiting files may be taken now.
 * <ul>
 *   <li>A feed with a schedule ({@code feeds.<feed>.cron}) waits for it: each firing releases
 *       the files of that feed then waiting, like tool_sync's scheduled tasks.</li>
 *   <li>With a done-file ({@code feeds.batch.done-file}), nothing is taken until the sender
 *       drops it: its arrival releases the files then waiting, as one batch (run in dependency
 *       order), and it is deleted. Files that arrive later wait for the next done-file.</li>
 * </ul>
 * And a file waits while a file of a feed that comes before it (courses before users before
 * enrolments...) is in the inbox or in {@code .inprogress}: enrolments never run before the users
 * file that arrived with them, even when that one is still being uploaded, held by its
 * schedule, or being processed by another instance sharing the inbox.
 * Other files are taken as they arrive.
 */
public final class InboxGate implements GenericFileFilter<Object> {
    private static final Logger LOG = LoggerFactory.getLogger(InboxGate.class);

    private final Path inbox;
    private final FeedRecognizer recognizer;
    private final Comparator<String> dependencyOrder;
    private final Set<String> scheduledFeeds;
    private final String doneFile;
    private final Set<String> releasedBySchedule = ConcurrentHashMap.newKeySet();
    private final Set<String> releasedByDoneFile = ConcurrentHashMap.newKeySet();

    /** @param doneFile the done-file's name, or "" when batches are not used */
    public InboxGate(Path inbox, FeedRecognizer recognizer, Comparator<String> dependencyOrder, Set<String> scheduledFeeds, String doneFile) {
        this.inbox = inbox;
        this.recognizer = recognizer;
        this.dependencyOrder = dependencyOrder;
        this.scheduledFeeds = Set.copyOf(scheduledFeeds);
        this.doneFile = doneFile == null ? "" : doneFile.trim();
    }

    /**
     * Names in the inbox that are never feed files: hidden and temporary files (a sender's
     * upload in progress, an SFTP source's download), Camel's read-lock markers, the
     * explanations of failed files, and tool_sync's own lock file.
     */
    public static boolean ignored(String name) {
        return name.startsWith(".") || name.startsWith("_") || name.endsWith(".camelLock") || name.endsWith(".error.txt")
                || name.equalsIgnoreCase("locked.txt");
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        if (file.isDirectory() || ignored(file.getFileNameOnly())) {
            return false;
        }
        String name = file.getFileNameOnly();
        if (!doneFile.isEmpty()) {
            if (name.equals(doneFile)) {
                openBatch(); // a done-file alone releases an empty batch and goes
                return false;
            }
            if (!releasedByDoneFile.contains(name) && !openBatch().contains(name)) {
                return false;
            }
        }
        String feed = recognizer.feedOrNull(name);
        if (feed != null && scheduledFeeds.contains(feed) && !releasedBySchedule.contains(name)) {
            return false;
        }
        return feed == null || !anEarlierFeedIsWaiting(name, feed);
    }

    private boolean anEarlierFeedIsWaiting(String name, String feed) {
        try {
            for (Path dir : List.of(inbox, inbox.resolve(InboxFiles.IN_PROGRESS))) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    boolean earlier = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                            .filter(n -> !ignored(n) && !n.equals(name) && !n.equals(doneFile))
                            .map(recognizer::feedOrNull)
                            .anyMatch(other -> other != null && dependencyOrder.compare(other, feed) < 0);
                    if (earlier) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            // a folder that cannot be listed now will be at the next poll
            return true;
        }
    }

    /** The schedule of the feed fired: its waiting files may go. */
    public void release(String feed) throws IOException {
        int released = 0;
        for (String name : waitingFiles()) {
            if (feed.equals(recognizer.feedOrNull(name)) && releasedBySchedule.add(name)) {
                released++;
            }
        }
        LOG.info("schedule of the {} feed: {} waiting file(s) released", feed, released);
    }

    /** The intake took the file: a later file of the same name waits for its own release. */
    public void taken(Exchange exchange) {
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        if (name != null) {
            releasedBySchedule.remove(name);
            releasedByDoneFile.remove(name);
        }
    }

    /** When the done-file is there: the files waiting with it become the batch, and it is removed. */
    private synchronized Set<String> openBatch() {
        Path done = inbox.resolve(doneFile);
        if (Files.exists(done)) {
            try {
                releasedByDoneFile.addAll(waitingFiles());
                Files.deleteIfExists(done);
                LOG.info("{} arrived: a batch of {} file(s) is released", doneFile, releasedByDoneFile.size());
            } catch (IOException e) {
                LOG.warn("cannot open the batch of {}: {}", doneFile, e.getMessage());
            }
        }
        return releasedByDoneFile;
    }

    private List<String> waitingFiles() throws IOException {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> !ignored(n) && !n.equals(doneFile)).toList();
        }
    }
}
