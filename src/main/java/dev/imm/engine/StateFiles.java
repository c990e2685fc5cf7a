package dev.imm.engine;

/**
 * Files the engine keeps in the state repository besides the state itself: the canonical bake inputs of
 * every baked version (so a later plan can say which input changed), and each apply's plan, journal and timeline.
 */
final class StateFiles {
    private StateFiles() {
    }

    static String bakeInputs(String bakeHash) {
        return "bake-inputs/" + bakeHash + ".json";
    }

    static String plan(String applyId) {
        return "applies/" + applyId + "/plan.json";
    }

    /** The apply laid out in time ({@link dev.imm.plan.Timeline}), for {@code imm history --format html}. */
    static String timeline(String applyId) {
        return "applies/" + applyId + "/timeline.json";
    }

    static String journal(String applyId) {
        return "applies/" + applyId + "/journal.txt";
    }
}
