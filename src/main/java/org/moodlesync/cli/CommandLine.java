package org.moodlesync.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The parsed arguments: a command, its positional arguments and its --options. */
record CommandLine(String command, List<String> args, Map<String, String> options) {

    static CommandLine parse(String[] argv) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value = "true";
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (takesValue(name)) {
                    if (i + 1 >= argv.length) {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    value = argv[++i];
                }
                options.put(name, value);
            } else {
                positional.add(a);
            }
        }
        String command = positional.isEmpty() ? "help" : positional.remove(0);
        return new CommandLine(command, positional, options);
    }

    private static boolean takesValue(String option) {
        return option.equals("config") || option.equals("rows") || option.equals("password-rows") || option.equals("under");
    }

    boolean flag(String name) {
        return "true".equalsIgnoreCase(options.getOrDefault(name, "false"));
    }

    Path configFile() {
        String f = options.get("config");
        return f == null ? null : Path.of(f);
    }
}
