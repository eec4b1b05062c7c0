package org.moodlesync.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SFTP server (Apache MINA SSHD) on 127.0.0.1 and a random port, serving a temporary
 * folder: one account that logs in with a password or with a client key.
 */
public final class SftpTestServer implements AutoCloseable {
    public static final String USER = "feeder";

    public final Path root;
    private final KeyPair hostKey;
    private final KeyPair clientKey;
    private final String password;
    private final SshServer sshd;

    public SftpTestServer(Path root, String password, SftpEventListener listener) throws Exception {
        this(root, password, listener, ecKeyPair());
    }

    public SftpTestServer(Path root, String password, SftpEventListener listener, KeyPair hostKey) throws Exception {
        this.root = root;
        this.password = password;
        this.hostKey = hostKey;
        this.clientKey = rsaKeyPair();
        Files.createDirectories(root);
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPasswordAuthenticator((user, pass, session) -> USER.equals(user) && this.password.equals(pass));
        sshd.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && KeyUtils.compareKeys(key, clientKey.getPublic()));
        SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder().build();
        if (listener != null) {
            sftp.addSftpEventListener(listener);
        }
        sshd.setSubsystemFactories(List.of(sftp));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
        sshd.start();
    }

    public int port() {
        return sshd.getPort();
    }

    /** The known_hosts line of this server's host key, as ssh-keyscan writes it. */
    public String knownHostsLine() {
        return knownHostsLine(port(), hostKey);
    }

    public static String knownHostsLine(int port, KeyPair key) {
        return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key.getPublic());
    }

    /** The host key's fingerprint as ssh-keygen -l prints it (SHA256:...). */
    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(hostKey.getPublic());
    }

    /** Writes the client's private key in OpenSSH's format, encrypted when a passphrase is given. */
    public Path writeClientKey(Path file, String passphrase) throws IOException, GeneralSecurityException {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setCipherName(OpenSSHKeyEncryptionContext.AES);
            encryption.setCipherType("256");
            encryption.setPassword(passphrase);
        }
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "moodle-sync test", encryption, out);
        }
        return file;
    }

    /** Publishes a file in the served folder atomically (written aside, then renamed). */
    public Path put(String folder, String name, String content) throws IOException {
        Path dir = root.resolve(folder);
        Files.createDirectories(dir);
        Path tmp = dir.resolve(".tmp-" + name);
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        return Files.move(tmp, dir.resolve(name));
    }

    public static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }
}
