package dev.imm.model;

import dev.imm.diag.SourceRange;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * A fault the simulated cloud injects, from a {@code fault "KIND" { … }} block of {@code provider "sim"}.
 * {@code image} names the image of {@code unhealthy} and {@code bake_fails} (the version the stack declares
 * now, by its bake hash); {@code alarm} and {@code at} name an alarm and the point of a rollout (percent
 * of the instances it replaces) where it fires; {@code rate} is the chance of an API error per call or of
 * an instance dying per launch. {@code seed} makes the random draws of one fault repeatable. Unused
 * fields are null. docs/faults.md describes each kind.
 */
public record FaultSpec(Kind kind, Address image, String alarm, BigDecimal at, BigDecimal rate, long seed,
                        SourceRange range) {

    public enum Kind {
        UNHEALTHY, BAKE_FAILS, ALARM, API_ERRORS, INSTANCE_DIES;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code unhealthy image.app}, {@code alarm "shop-5xx" at 40%}, {@code api_errors 5%}: for messages. */
    public String describe() {
        return switch (kind) {
            case UNHEALTHY, BAKE_FAILS -> kind.spelling() + " " + image;
            case ALARM -> "alarm \"" + alarm + "\" at " + at.toPlainString() + "%";
            case API_ERRORS, INSTANCE_DIES -> kind.spelling() + " " + rate.toPlainString() + "%";
        };
    }
}
