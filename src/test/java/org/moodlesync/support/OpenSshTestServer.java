package org.moodlesync.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's OpenSSH server ({@code /usr/sbin/sshd}, package openssh-server) on 127.0.0.1, run by the test with a
 * configuration of its own: key log-in of the user running the tests, whose login folder is their home
 * ({@code user.home}), not the root, as on a real server. Tests using it are skipped with a notice where
 * openssh-server is not installed ({@code .ci/run} installs it).
 */
public final class OpenSshTestServer implements AutoCloseable {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    public final String user = System.getProperty("user.name");
    public final Path home = Path.of(System.getProperty("user.home"));
    public final Path clientKey;
    public final Path knownHosts;
    private final int port;
    private final Process sshd;

    public OpenSshTestServer(Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SSHD), "OpenSSH test SKIPPED: /usr/sbin/sshd is missing (apt-get install openssh-server)");
        Files.createDirectories(dir);
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation folder
        Path hostKey = dir.resolve("host_ecdsa");
        clientKey = dir.resolve("client_rsa");
        run("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", hostKey.toString());
        run("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-m", "PEM", "-N", "", "-f", clientKey.toString());
        Path authorized = Files.copy(dir.resolve("client_rsa.pub"), dir.resolve("authorized_keys"));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + hostKey, "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorized, "PubkeyAuthentication yes", "PasswordAuthentication no",
                "KbdInteractiveAuthentication no", "PermitRootLogin prohibit-password", "UsePAM no", "StrictModes no",
                "Subsystem sftp internal-sftp", "") );
        sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        knownHosts = Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " "
                + Files.readString(dir.resolve("host_ecdsa.pub")).trim() + "\n");
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                break;
            } catch (IOException notYet) {
                if (!sshd.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
                }
                Thread.sleep(100);
            }
        }
    }

    public int port() {
        return port;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
    }

    @Override
    public void close() {
        sshd.destroy();
        try {
            sshd.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
