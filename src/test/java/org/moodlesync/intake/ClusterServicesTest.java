package org.moodlesync.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster service settings: sync.cluster.kubernetes.* reach the service's setters with their types. */
class ClusterServicesTest {
    enum Kind { ConfigMap, Lease }

    /** Stands in for KubernetesClusterService, which only the -Pkubernetes build has. */
    public static final class Options {
        String namespace;
        long lease;
        double jitter;
        Kind kind;

        public void setKubernetesNamespace(String v) {
            namespace = v;
        }

        public void setLeaseDurationMillis(long v) {
            lease = v;
        }

        public void setJitterFactor(double v) {
            jitter = v;
        }

        public void setLeaseResourceType(Kind v) {
            kind = v;
        }
    }

    @Test
    void optionsAreBoundByTheirSettersTypes() {
        Options o = new Options();
        ClusterServices.set(o, "kubernetesNamespace", "moodle");
        ClusterServices.set(o, "leaseDurationMillis", "15000");
        ClusterServices.set(o, "jitterFactor", "1.2");
        ClusterServices.set(o, "leaseResourceType", "Lease");
        assertEquals("moodle", o.namespace);
        assertEquals(15000, o.lease);
        assertEquals(1.2, o.jitter);
        assertEquals(Kind.Lease, o.kind);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterServices.set(o, "leaseResourceType", "Lock")).getMessage().contains("not a valid Kind"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterServices.set(o, "podname", "x")).getMessage().contains("is not an option"));
    }

    @Test
    void kubernetesWithoutItsBuildAndUnknownModesAreRefusedClearly() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterServices.create("kubernetes", Path.of("x"), Map.of()))
                .getMessage().contains("mvn package -Pkubernetes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterServices.create("zookeeper", Path.of("x"), Map.of()))
                .getMessage().contains("none, file or kubernetes"));
        assertEquals("", ClusterServices.masterPrefix("none", "ns"));
        assertEquals("master:ns:", ClusterServices.masterPrefix("file", "ns"));
    }
}
