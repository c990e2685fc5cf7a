package dev.imm.state;

/** One persisted state: the commit that holds it (its full id) and the state's serial at that commit. */
public record Revision(String id, long serial) {
    /** The first seven characters of the id, as Git abbreviates it. */
    public String shortId() {
        return id.length() > 7 ? id.substring(0, 7) : id;
    }
}
