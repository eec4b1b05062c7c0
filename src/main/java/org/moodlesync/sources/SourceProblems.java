package org.moodlesync.sources;

import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchRevokedHostKeyException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.remote.RemoteFilePollingConsumerPollStrategy;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an SFTP source's consumer does with its failures (its pollStrategy and exceptionHandler):
 * a poll that fails (server down, host key refused, log-in refused) is said once per failure
 * streak as one ERROR line that names the source, the server and the reason, and is written to
 * {@code <sync.failed>/source-<name>.error.txt} until a poll succeeds again. A host key refusal
 * names the key the server offers with its fingerprint. A download that fails part way is a
 * WARN: the remote file stays and is fetched again at the next poll.
 * Messages are made from the configuration and the causes' messages, never from endpoint URIs, so
 * no secret can reach the log.
 */
public final class SourceProblems extends RemoteFilePollingConsumerPollStrategy implements ExceptionHandler {
    static final Logger LOG = LoggerFactory.getLogger("sources");
    private static final int PROBE_TIMEOUT_MILLIS = 10_000;

    private final SftpSource source;
    private final Path errorFile;
    private final Clock clock;
    /** What the current failure streak is about (null: the last poll went well); said once. */
    private volatile String streak;

    public SourceProblems(SftpSource source, Path failedFolder, Clock clock) {
        this.source = source;
        this.errorFile = failedFolder.resolve(source.routeId() + ".error.txt");
        this.clock = clock;
    }

    public static String beanName(String sourceName) {
        return "sourceProblems-" + sourceName;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        super.commit(consumer, endpoint, polledMessages);
        if (streak != null) {
            streak = null;
            LOG.info("{}: {} answers again", prefix(), source.server());
            try {
                Files.deleteIfExists(errorFile);
            } catch (IOException e) {
                LOG.warn("{}: cannot delete {}: {}", prefix(), errorFile, e.getMessage());
            }
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) throws Exception {
        pollFailed(cause);
        // disconnects so that the next poll starts on a fresh connection (its own log lines are silenced)
        return super.rollback(consumer, endpoint, retryCounter, cause);
    }

    /** A failed poll: said when it starts a streak or the reason changed. */
    void pollFailed(Throwable cause) {
        String kind = kind(cause);
        if (kind.equals(streak)) {
            return;
        }
        streak = kind;
        String message = prefix() + ": " + explain(cause) + " Next try at the next scheduled poll.";
        LOG.error(message);
        try {
            Files.createDirectories(errorFile.getParent());
            Files.writeString(errorFile, LocalDateTime.now(clock).withNano(0) + " " + message + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("{}: cannot write {}: {}", prefix(), errorFile, e.getMessage());
        }
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    /**
     * With an exchange: a file that could not be downloaded (it stays on the server), or, as the
     * consumer's onCompletionExceptionHandler, a file delivered to the inbox that could not be
     * archived or deleted on the server. Without: the failed poll that rollback has just
     * reported, handed on by the consumer.
     */
    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (exchange == null) {
            pollFailed(exception);
            return;
        }
        String file = fileName(exchange);
        if (message != null && message.startsWith("Error during commit")) {
            LOG.warn("{}: {} is in the inbox but could not be {} on the server ({}); it will be fetched again at the next poll", prefix(), file,
                    source.archiveFolder() == null ? "deleted" : "moved to " + source.archiveFolder(), rootMessage(exception));
            return;
        }
        LOG.warn("{}: {} could not be fetched ({}); it stays on the server and is fetched again at the next poll", prefix(), file,
                rootMessage(exception));
    }

    /** Called by the route when a downloaded file could not be put into the inbox; the exchange still fails, so the remote file stays. */
    public void deliveryFailed(Exchange exchange) throws Exception {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("{}: {} was downloaded but could not be put into the inbox ({}); it stays on the server and is fetched again at the next poll",
                prefix(), fileName(exchange), cause == null ? "unknown reason" : rootMessage(cause));
        if (cause != null) {
            throw cause;
        }
    }

    private static String fileName(Exchange exchange) {
        String file = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        return file == null ? "a file" : file;
    }

    private String prefix() {
        return "sftp source " + source.name();
    }

    private String explain(Throwable cause) {
        if (find(cause, JSchUnknownHostKeyException.class).isPresent()) {
            return "the host key of " + source.server() + offered() + " is not in " + source.knownHosts()
                    + ": refused. Check its fingerprint with the server's administrator, then add it with: ssh-keyscan -p "
                    + source.port() + " " + source.host() + " >> " + source.knownHosts() + ".";
        }
        if (find(cause, JSchChangedHostKeyException.class).isPresent()) {
            return "the host key of " + source.server() + " has CHANGED" + offered() + ": " + source.knownHosts()
                    + " holds another key for it: refused. Someone may be intercepting the connection, or the server was"
                    + " reinstalled: check the new fingerprint with the server's administrator before replacing the host's line in "
                    + source.knownHosts() + ".";
        }
        if (find(cause, JSchRevokedHostKeyException.class).isPresent()) {
            return "the host key of " + source.server() + offered() + " is marked @revoked in " + source.knownHosts() + ": refused.";
        }
        Optional<JSchException> jsch = find(cause, JSchException.class);
        if (jsch.isPresent() && String.valueOf(jsch.get().getMessage()).toLowerCase(Locale.ROOT).contains("auth")) {
            return "log-in to " + source.server() + " as " + source.user() + " refused (" + jsch.get().getMessage() + "): check the "
                    + (source.password() != null ? "password" : "private key and its passphrase") + " and that the server accepts them.";
        }
        if (find(cause, UnknownHostException.class).isPresent()) {
            return "the host name " + source.host() + " is unknown (DNS).";
        }
        if (find(cause, ConnectException.class).isPresent()) {
            return "cannot connect to " + source.server() + " (" + rootMessage(cause) + ").";
        }
        return "polling " + source.server() + " failed: " + rootMessage(cause) + ".";
    }

    private String offered() {
        return HostKeyProbe.offeredKey(source.host(), source.port(), PROBE_TIMEOUT_MILLIS).map(k -> " (it offers " + k + ")").orElse("");
    }

    /** Two failures of the same kind are one streak: the cause chain's classes and innermost message. */
    private static String kind(Throwable cause) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            b.append(t.getClass().getName()).append('>');
        }
        return b.append(rootMessage(cause)).toString();
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static <T extends Throwable> Optional<T> find(Throwable cause, Class<T> type) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
