package dev.imm.cli;

final class VersionCommand extends Verb {
    VersionCommand(Main main) {
        super(main, "version", Model.lines("Print the version of imm, when it was built, and the Java it runs on."),
                "", "Examples:", "  imm version", "  imm --version");
    }

    @Override
    public Integer call() {
        main.out.println(version());
        return ExitCode.OK;
    }

    /** {@code imm 0.1.0 (built 2026-11-22T07:30:00Z) on Java 17.0.15 (Debian)}. */
    static String version() {
        java.util.Properties build = new java.util.Properties();
        try (java.io.InputStream in = VersionCommand.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (java.io.IOException unreadable) {
            // the version line says "development build" instead
        }
        String v = build.getProperty("version", "");
        String built = build.getProperty("built", "");
        boolean filtered = !v.isEmpty() && !v.startsWith("${");
        return "imm " + (filtered ? v : "(development build)")
                + (filtered && !built.startsWith("${") ? " (built " + built + ")" : "")
                + " on Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")";
    }
}
