package org.moodlesync.intake;

import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;

/**
 * The cluster service behind the {@code master:} endpoints of active/passive instances
 * ({@code sync.cluster}): a file lock for instances on one host (or a shared file system), a
 * Kubernetes Lease for pods. Only the leader polls the inbox and the SFTP sources; another
 * instance takes over when it stops.
 */
public final class ClusterServices {
    static final String KUBERNETES_SERVICE = "org.apache.camel.component.kubernetes.cluster.KubernetesClusterService";

    private ClusterServices() {
    }

    /** The endpoint prefix that makes a consumer run on the leader only: "" without a cluster. */
    public static String masterPrefix(String cluster, String namespace) {
        return cluster.equals("none") ? "" : "master:" + namespace + ":";
    }

    /**
     * @param properties {@code sync.cluster.kubernetes.*} without the prefix, bound to the
     *                   Kubernetes service's own options (kubernetesNamespace, podName...)
     */
    public static CamelClusterService create(String cluster, Path fileRoot, Map<String, Object> properties) {
        switch (cluster) {
            case "file" -> {
                FileLockClusterService service = new FileLockClusterService();
                service.setId("moodle-sync-file-lock");
                service.setRoot(fileRoot.toAbsolutePath().toString());
                return service;
            }
            case "kubernetes" -> {
                CamelClusterService service;
                try {
                    service = (CamelClusterService) Class.forName(KUBERNETES_SERVICE).getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError e) {
                    throw new IllegalArgumentException("sync.cluster = kubernetes needs Camel's Kubernetes cluster service: build moodle-sync with"
                            + " mvn package -Pkubernetes (see docs/deployment.md)");
                }
                properties.forEach((name, value) -> set(service, name, String.valueOf(value)));
                return service;
            }
            default -> throw new IllegalArgumentException("sync.cluster must be none, file or kubernetes (not \"" + cluster + "\")");
        }
    }

    /** Sets one option of the service through its setter (text, number, boolean or enum constant). */
    static void set(Object target, String name, String value) {
        String setter = "set" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (java.lang.reflect.Method m : target.getClass().getMethods()) {
            if (m.getName().equals(setter) && m.getParameterCount() == 1) {
                Object arg;
                try {
                    arg = convert(m.getParameterTypes()[0], value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("sync.cluster.kubernetes." + name + ": " + e.getMessage());
                }
                if (arg != null) {
                    try {
                        m.invoke(target, arg);
                        return;
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalArgumentException("sync.cluster.kubernetes." + name + ": " + e.getMessage());
                    }
                }
            }
        }
        throw new IllegalArgumentException("sync.cluster.kubernetes." + name + " is not an option of Camel's Kubernetes cluster service"
                + " that takes text, a number, true/false or a constant (map options such as clusterLabels cannot be set here)");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(Class<?> type, String value) {
        try {
            if (type == String.class) {
                return value;
            } else if (type == int.class || type == Integer.class) {
                return Integer.valueOf(value);
            } else if (type == long.class || type == Long.class) {
                return Long.valueOf(value);
            } else if (type == double.class || type == Double.class) {
                return Double.valueOf(value);
            } else if (type == boolean.class || type == Boolean.class) {
                return Boolean.valueOf(value);
            } else if (type.isEnum()) {
                return Enum.valueOf((Class<? extends Enum>) type, value);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + value + "\" is not a valid " + type.getSimpleName());
        }
        return null;
    }
}
