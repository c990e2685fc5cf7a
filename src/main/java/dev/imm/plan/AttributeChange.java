package dev.imm.plan;

/** One attribute that changes, with its values rendered as the language writes them ("" when absent). */
public record AttributeChange(String name, String before, String after) {
}
