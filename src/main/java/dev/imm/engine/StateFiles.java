package dev.imm.engine;

/**
 * Files the engine keeps in the state repository besides the state itself: the canonical bake inputs of
 * every baked version (so a later plan can say which input changed), and each apply's plan and journal.
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

    static String journal(String applyId) {
        return "applies/" + applyId + "/journal.txt";
    }
}
