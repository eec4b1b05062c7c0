package org.moodlesync.sources;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.model.Model;
import org.moodlesync.config.ConfigKeys;
import org.moodlesync.config.ConfigLoader;
import org.moodlesync.config.SyncConfig;

/**
 * The SFTP sources of {@code sync.sources}: every source is checked when this is made (so a
 * misconfigured source stops the start with a clear message), then gets one route made from the
 * {@code sftp-source} template of routes/sources.yaml, with the id {@code source-<name>}.
 */
public final class SftpSources {
    static final String TEMPLATE = "sftp-source";
    /** Under the inbox: the intake does not look into sub-folders, and the final move is a rename on the same disk. */
    static final String WORK_FOLDER = ".sources";
    /** Archived remote files: {@code <archive-folder>/<yyyyMMdd-HHmmss>_<name>}, as the local archive names them. */
    static final String ARCHIVE_NAME = "/${date:now:yyyyMMdd-HHmmss}_${file:onlyname}";

    private final List<SftpSource> sources;
    private final Path inbox;
    private final Path failed;

    private SftpSources(List<SftpSource> sources, Path inbox, Path failed) {
        this.sources = sources;
        this.inbox = inbox;
        this.failed = failed;
    }

    public static SftpSources read(SyncConfig config) {
        List<SftpSource> sources = ConfigLoader.sourceNames(config.get(ConfigKeys.SOURCES, "")).stream()
                .map(name -> SftpSource.read(config, name)).toList();
        return new SftpSources(sources, config.path(ConfigKeys.INBOX), config.path(ConfigKeys.FAILED));
    }

    public List<SftpSource> sources() {
        return sources;
    }

    /** Binds each source's failure handling, which its route names; before Camel starts. */
    public void bindInto(Main main, Clock clock) {
        for (SftpSource source : sources) {
            main.bind(SourceProblems.beanName(source.name()), new SourceProblems(source, failed, clock));
        }
    }

    /** Adds (and so starts) the sources' routes; the template must be loaded, so Camel is started. */
    public void start(CamelContext camel) throws Exception {
        if (!sources.isEmpty() && camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteTemplateDefinition(TEMPLATE) == null) {
            throw new IllegalStateException("sync.sources is set but no route template " + TEMPLATE
                    + " was loaded: routes/sources.yaml is missing from sync.routes");
        }
        for (SftpSource source : sources) {
            if (!source.verifyHostKeys()) {
                SourceProblems.LOG.warn("sftp source {}: host keys are NOT verified ({} = false): whoever can intercept the"
                        + " connection to {} can pose as the server and receive the credentials and the files",
                        source.name(), ConfigKeys.source(source.name(), "verify-host-keys"), source.server());
            }
            camel.addRouteFromTemplate(source.routeId(), TEMPLATE, parameters(source));
            SourceProblems.LOG.info("{}: polled on cron \"{}\", files matching {}", source, source.cron(), source.include());
        }
    }

    /** How many '..' climb from any login folder to the root: deeper home folders do not occur. */
    static final int ROOT_CLIMB = 32;

    /**
     * A folder (the source's, or its archive) as Camel's SFTP component reaches it. Camel reads
     * every remote folder relative to the login folder (it strips a leading '/'), so an absolute
     * folder is reached by climbing to the root first: '..' at the root stays at the root on every
     * SFTP server.
     */
    static String remoteFolder(String folder) {
        if (!folder.startsWith("/")) {
            return folder;
        }
        return "../".repeat(ROOT_CLIMB) + folder.replaceFirst("^/+", "");
    }

    Map<String, Object> parameters(SftpSource source) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", source.name());
        p.put("host", source.host());
        p.put("port", source.port());
        p.put("user", source.user());
        p.put("password", source.password() == null ? "" : source.password());
        p.put("privateKeyFile", source.privateKey() == null ? "" : source.privateKey().toString());
        p.put("privateKeyPassphrase", source.passphrase() == null ? "" : source.passphrase());
        p.put("folder", remoteFolder(source.folder()));
        // one 'cd' to an absolute folder instead of one per '..'
        p.put("stepwise", Boolean.toString(!source.folder().startsWith("/")));
        p.put("include", source.include());
        p.put("cron", source.cron());
        if (source.archiveFolder() != null) {
            p.put("move", remoteFolder(source.archiveFolder()) + ARCHIVE_NAME);
            p.put("delete", "false");
        } else {
            p.put("delete", "true");
        }
        p.put("strictHostKeyChecking", source.verifyHostKeys() ? "yes" : "no");
        p.put("knownHostsFile", source.verifyHostKeys() ? source.knownHosts().toString() : "");
        p.put("workDirectory", inbox.resolve(WORK_FOLDER).resolve(source.name()).toString());
        return p;
    }
}
