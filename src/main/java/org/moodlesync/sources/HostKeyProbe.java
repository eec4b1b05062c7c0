package org.moodlesync.sources;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * Asks an SSH server for its host key, to name it when the key was refused: JSch's own refusal
 * of a changed key says neither which key the server now offers nor its fingerprint. The probe
 * stops right after the key exchange (the key is "not known"), so it never tries to log in.
 */
final class HostKeyProbe {
    private HostKeyProbe() {
    }

    /** The key a server offers, as {@code ssh-keyscan} and {@code ssh-keygen -l} show it. */
    record OfferedKey(String type, String fingerprint) {
        @Override
        public String toString() {
            return type + " " + fingerprint;
        }
    }

    static Optional<OfferedKey> offeredKey(String host, int port, int timeoutMillis) {
        Recorder recorder = new Recorder();
        JSch jsch = new JSch();
        jsch.setHostKeyRepository(recorder);
        try {
            Session session = jsch.getSession("moodle-sync-host-key-probe", host, port);
            session.setConfig("StrictHostKeyChecking", "yes");
            session.connect(timeoutMillis);
            session.disconnect(); // not reached: the recorder knows no key
        } catch (JSchException expected) {
            // refused as unknown once the recorder has seen the key, or the server is unreachable
        }
        return Optional.ofNullable(recorder.offered).map(HostKeyProbe::describe);
    }

    /** The SHA-256 fingerprint of an SSH public key blob, in OpenSSH's form (SHA256:base64 without padding). */
    static String fingerprint(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }

    private static OfferedKey describe(byte[] blob) {
        return new OfferedKey(keyType(blob), fingerprint(blob));
    }

    /** An SSH key blob starts with its type name as a length-prefixed string (RFC 4253, 6.6). */
    private static String keyType(byte[] blob) {
        try {
            ByteBuffer b = ByteBuffer.wrap(blob);
            byte[] name = new byte[b.getInt()];
            b.get(name);
            return new String(name, StandardCharsets.US_ASCII);
        } catch (RuntimeException e) {
            return "unknown key type";
        }
    }

    /** Knows no key, so every key is "not included": records the one offered. */
    private static final class Recorder implements HostKeyRepository {
        volatile byte[] offered;

        @Override
        public int check(String host, byte[] key) {
            offered = key.clone();
            return NOT_INCLUDED;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return "moodle-sync host key probe";
        }

        @Override
        public HostKey[] getHostKey() {
            return new HostKey[0];
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return new HostKey[0];
        }
    }
}
