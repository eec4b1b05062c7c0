package org.moodlesync.moodle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    /** The published SHA-512 test vectors from Drepper's "Unix crypt using SHA-256 and SHA-512". */
    private static final String[][] VECTORS = {
        {"$6$saltstring", "Hello world!",
            "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"},
        {"$6$rounds=10000$saltstringsaltstring", "Hello world!",
            "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."},
        {"$6$rounds=5000$toolongsaltstring", "This is just a test",
            "$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0"},
        {"$6$rounds=1400$anotherlongsaltstring",
            "a very much longer text to encrypt.  This one even stretches over morethan one line.",
            "$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1"},
        {"$6$rounds=77777$short", "we have a short salt string but not a short password",
            "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0"},
        {"$6$rounds=123456$asaltof16chars..", "a short string",
            "$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1"},
        {"$6$rounds=10$roundstoolow", "the minimum number is still observed",
            "$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX."},
    };

    @Test
    void publishedVectors() {
        for (String[] v : VECTORS) {
            assertEquals(v[2], PasswordHasher.crypt(v[1], v[0]), "setting " + v[0]);
            // a full stored hash works as a setting too
            assertEquals(v[2], PasswordHasher.crypt(v[1], v[2]), "stored " + v[2]);
            assertTrue(PasswordHasher.verify(v[1], v[2]), "verify " + v[2]);
            assertFalse(PasswordHasher.verify(v[1] + "x", v[2]));
        }
    }

    @Test
    void explicitSaltAndRounds() {
        assertEquals(VECTORS[1][2], PasswordHasher.hash("Hello world!", "saltstringsaltstring", 10_000));
        assertEquals(VECTORS[6][2], PasswordHasher.hash("the minimum number is still observed", "roundstoolow", 10));
        // hash() always writes rounds=, even for 5000
        String h = PasswordHasher.hash("Hello world!", "saltstring", 5000);
        assertEquals("$6$rounds=5000$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1", h);
        assertTrue(PasswordHasher.verify("Hello world!", h));
    }

    @Test
    void randomHashLooksLikeMoodles() {
        String h = PasswordHasher.hash("Passw0rd!");
        assertTrue(h.matches("\\$6\\$rounds=10000\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}"), h);
        assertTrue(PasswordHasher.verify("Passw0rd!", h));
        assertFalse(PasswordHasher.verify("passw0rd!", h));
        String h2 = PasswordHasher.hash("Passw0rd!");
        assertFalse(h.equals(h2), "salts must differ");
    }

    @Test
    void nonAsciiAndEdgePasswords() {
        for (String pw : List.of("", "é", "mot de passe très long ".repeat(10), "x".repeat(64), "x".repeat(65),
                "x".repeat(128), "日本語パスワード")) {
            String h = PasswordHasher.hash(pw);
            assertTrue(PasswordHasher.verify(pw, h), pw);
            assertFalse(PasswordHasher.verify(pw + " ", h), pw);
        }
    }

    @Test
    void verifyNeverThrowsOnGarbage() {
        String good = VECTORS[0][2];
        for (String garbage : new String[] {
            null, "", "$", "$6", "$6$", "$6$$", "$6$rounds=$x$y", "$6$rounds=abc$salt$hash",
            "$6$rounds=99999999999999999999999999$salt$hash".replace("99999999999999999999999999", "0"),
            "$2y$10$abcdefghijklmnopqrstuu5Jz7oWcZ2Hs5pWYbqSlJmHvU0Yw1ZKm", "5f4dcc3b5aa765d61d8327deb882cf99",
            "not cached", "$6$saltstring$", "$6$saltstring$svn8", good.substring(0, good.length() - 1),
            good + "x", "$6$sält$xyz", "\u0000\uffff", "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZF",
        }) {
            assertFalse(PasswordHasher.verify("Hello world!", garbage), String.valueOf(garbage));
        }
        assertFalse(PasswordHasher.verify(null, good));
        assertNull(PasswordHasher.crypt("x", "$1$abc"));
    }

    @Test
    void threadSafeUnderParallelStreams() {
        List<String> pws = IntStream.range(0, 64).mapToObj(i -> "pw-" + i + "-é".repeat(i % 5))
                .collect(Collectors.toList());
        List<String> sequential = pws.stream().map(p -> PasswordHasher.hash(p, "fixedsalt" + p.length(), 2000))
                .collect(Collectors.toList());
        List<String> parallel = pws.parallelStream().map(p -> PasswordHasher.hash(p, "fixedsalt" + p.length(), 2000))
                .collect(Collectors.toList());
        assertEquals(sequential, parallel);
        Set<Boolean> ok = ConcurrentHashMap.newKeySet();
        IntStream.range(0, pws.size()).parallel().forEach(i -> ok.add(PasswordHasher.verify(pws.get(i), parallel.get(i))));
        assertEquals(Set.of(true), ok);
    }

    @Test
    void singleThreadRate() {
        for (int i = 0; i < 100; i++) { // warm-up (JIT)
            PasswordHasher.hash("warm-up-" + i);
        }
        int n = 300;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            PasswordHasher.hash("Password-" + i);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("PasswordHasher: %d hashes ($6$, 10000 rounds) in %.2f s on one thread = %.1f hashes/s%n",
                n, secs, n / secs);
    }
}
