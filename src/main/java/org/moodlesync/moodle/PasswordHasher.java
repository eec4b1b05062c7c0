package org.moodlesync.moodle;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Moodle 5.0 password hashes: glibc-compatible SHA-512 crypt ({@code $6$}), as produced by
 * Moodle's {@code hash_internal_user_password()} (PHP {@code crypt($pw, '$6$rounds=10000$' . $salt16)}).
 *
 * <p>Implements Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512" specification with
 * {@link MessageDigest}. Passwords are hashed as their UTF-8 bytes (PHP strings are byte strings and
 * Moodle is UTF-8 throughout). Rounds outside [1000, 999999999] are clamped as glibc does.
 *
 * <p>Thread-safe: all mutable state (the digest and the work buffers) is per thread.
 */
public final class PasswordHasher {

    /** Rounds Moodle 5.0 uses for new hashes. */
    public static final int DEFAULT_ROUNDS = 10_000;
    public static final int ROUNDS_MIN = 1_000;
    public static final int ROUNDS_MAX = 999_999_999;
    /** Drepper's default when the setting has no {@code rounds=} part. */
    public static final int ROUNDS_DEFAULT_IMPLICIT = 5_000;
    public static final int SALT_MAX = 16;

    private static final String PREFIX = "$6$";
    private static final String ROUNDS_PREFIX = "rounds=";
    /** crypt's base-64 alphabet; also the alphabet Moodle draws its salt from. */
    private static final char[] ITOA64 =
            "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    /** Byte order of the final encoding: triples (b2, b1, b0) for SHA-512, then (0, 0, 63). */
    private static final int[] PERM = {
        0, 21, 42, 22, 43, 1, 44, 2, 23, 3, 24, 45, 25, 46, 4, 47, 5, 26, 6, 27, 48,
        28, 49, 7, 50, 8, 29, 9, 30, 51, 31, 52, 10, 53, 11, 32, 12, 33, 54, 34, 55, 13,
        56, 14, 35, 15, 36, 57, 37, 58, 16, 59, 17, 38, 18, 39, 60, 40, 61, 19, 62, 20, 41
    };

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Per-thread digest and scratch buffers, so the 10000-round loop allocates nothing. */
    private static final class State {
        final MessageDigest md;
        final byte[] a = new byte[64];   // the "A"/"C" digest, reused every round
        final byte[] b = new byte[64];   // "B", then DP, then DS
        byte[] p = new byte[64];         // P sequence (grown as needed)

        State() {
            try {
                md = MessageDigest.getInstance("SHA-512");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-512 not available", e);
            }
        }
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private PasswordHasher() {
    }

    /** Hash with a fresh random 16-character salt and 10000 rounds, exactly like Moodle 5.0. */
    public static String hash(String password) {
        return hash(password, randomSalt(), DEFAULT_ROUNDS);
    }

    /**
     * Hash with the given salt (only its first 16 characters, up to any {@code '$'}, are used) and rounds
     * (clamped to [1000, 999999999]). The result always carries the {@code rounds=} part, as Moodle's does.
     */
    public static String hash(String password, String salt, int rounds) {
        if (password == null) {
            throw new IllegalArgumentException("password is null");
        }
        if (salt == null) {
            throw new IllegalArgumentException("salt is null");
        }
        int r = Math.max(ROUNDS_MIN, Math.min(ROUNDS_MAX, rounds));
        return crypt(password.getBytes(StandardCharsets.UTF_8), truncateSalt(salt), r, true);
    }

    /**
     * {@code crypt(3)} with a {@code $6$} setting string, e.g. {@code $6$rounds=5000$salt} or a full stored
     * hash (everything after the salt is ignored). Returns null if the setting is not a {@code $6$} setting.
     */
    public static String crypt(String password, String setting) {
        if (password == null || setting == null || !setting.startsWith(PREFIX)) {
            return null;
        }
        String rest = setting.substring(PREFIX.length());
        int rounds = ROUNDS_DEFAULT_IMPLICIT;
        boolean custom = false;
        if (rest.startsWith(ROUNDS_PREFIX)) {
            int i = ROUNDS_PREFIX.length();
            long n = 0;
            int digits = 0;
            while (i < rest.length() && rest.charAt(i) >= '0' && rest.charAt(i) <= '9') {
                n = Math.min(n * 10 + (rest.charAt(i) - '0'), 10L * ROUNDS_MAX); // saturate, no overflow
                i++;
                digits++;
            }
            if (digits > 0 && i < rest.length() && rest.charAt(i) == '$') {
                rounds = (int) Math.max(ROUNDS_MIN, Math.min(ROUNDS_MAX, n));
                custom = true;
                rest = rest.substring(i + 1);
            }
        }
        return crypt(password.getBytes(StandardCharsets.UTF_8), truncateSalt(rest), rounds, custom);
    }

    /**
     * True if {@code storedHash} is a {@code $6$} hash (any rounds, with or without {@code rounds=}) of
     * {@code password}. False for anything else; never throws.
     */
    public static boolean verify(String password, String storedHash) {
        try {
            if (password == null || storedHash == null || !storedHash.startsWith(PREFIX)
                    || storedHash.length() > 200) {
                return false;
            }
            String computed = crypt(password, storedHash);
            if (computed == null) {
                return false;
            }
            return MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                    storedHash.getBytes(StandardCharsets.US_ASCII));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A random 16-character salt from {@code ./0-9A-Za-z}. */
    public static String randomSalt() {
        char[] s = new char[SALT_MAX];
        for (int i = 0; i < s.length; i++) {
            s[i] = ITOA64[RANDOM.nextInt(64)];
        }
        return new String(s);
    }

    private static String truncateSalt(String salt) {
        int end = salt.indexOf('$');
        if (end < 0) {
            end = salt.length();
        }
        return salt.substring(0, Math.min(end, SALT_MAX));
    }

    private static String crypt(byte[] pw, String saltStr, int rounds, boolean roundsCustom) {
        byte[] salt = saltStr.getBytes(StandardCharsets.UTF_8);
        if (salt.length > SALT_MAX) { // non-ASCII salt: glibc counts bytes
            byte[] t = new byte[SALT_MAX];
            System.arraycopy(salt, 0, t, 0, SALT_MAX);
            salt = t;
            saltStr = new String(salt, StandardCharsets.UTF_8);
        }
        State st = STATE.get();
        MessageDigest md = st.md;
        byte[] a = st.a;
        byte[] b = st.b;
        int plen = pw.length;
        int slen = salt.length;
        try {
            md.reset();
            // B = SHA512(P S P)
            md.update(pw);
            md.update(salt);
            md.update(pw);
            md.digest(b, 0, 64);

            // A = SHA512(P S B-repeated-to-plen, then per bit of plen: B or P)
            md.update(pw);
            md.update(salt);
            int cnt;
            for (cnt = plen; cnt > 64; cnt -= 64) {
                md.update(b, 0, 64);
            }
            md.update(b, 0, cnt);
            for (cnt = plen; cnt > 0; cnt >>= 1) {
                if ((cnt & 1) != 0) {
                    md.update(b, 0, 64);
                } else {
                    md.update(pw);
                }
            }
            md.digest(a, 0, 64);

            // DP = SHA512(P repeated plen times); P sequence = DP repeated to plen bytes
            for (cnt = 0; cnt < plen; cnt++) {
                md.update(pw);
            }
            md.digest(b, 0, 64);
            byte[] p = st.p.length >= plen ? st.p : (st.p = new byte[plen]);
            for (int off = 0; off < plen; off += 64) {
                System.arraycopy(b, 0, p, off, Math.min(64, plen - off));
            }

            // DS = SHA512(S repeated 16 + A[0] times); S sequence = DS truncated to slen (<= 16)
            int srep = 16 + (a[0] & 0xff);
            for (cnt = 0; cnt < srep; cnt++) {
                md.update(salt);
            }
            md.digest(b, 0, 64);
            byte[] s = b; // first slen bytes of DS; b is not written again below

            // The rounds: C starts as A, kept in 'a'
            for (int i = 0; i < rounds; i++) {
                if ((i & 1) != 0) {
                    md.update(p, 0, plen);
                } else {
                    md.update(a, 0, 64);
                }
                if (i % 3 != 0) {
                    md.update(s, 0, slen);
                }
                if (i % 7 != 0) {
                    md.update(p, 0, plen);
                }
                if ((i & 1) != 0) {
                    md.update(a, 0, 64);
                } else {
                    md.update(p, 0, plen);
                }
                md.digest(a, 0, 64);
            }
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }

        StringBuilder out = new StringBuilder(3 + 17 + SALT_MAX + 1 + 86);
        out.append(PREFIX);
        if (roundsCustom) {
            out.append(ROUNDS_PREFIX).append(rounds).append('$');
        }
        out.append(saltStr).append('$');
        for (int i = 0; i < PERM.length; i += 3) {
            b64(out, a[PERM[i]], a[PERM[i + 1]], a[PERM[i + 2]], 4);
        }
        b64(out, (byte) 0, (byte) 0, a[63], 2);
        return out.toString();
    }

    private static void b64(StringBuilder out, byte b2, byte b1, byte b0, int n) {
        int w = ((b2 & 0xff) << 16) | ((b1 & 0xff) << 8) | (b0 & 0xff);
        while (n-- > 0) {
            out.append(ITOA64[w & 0x3f]);
            w >>>= 6;
        }
    }
}
