package dev.imm.state;

/**
 * A roll of a fleet that did not complete: it was {@code rolled-back} (every instance returned to the
 * previous launch configuration), {@code paused} (some instances stay on the new one) or {@code failed}.
 * {@code imageId} and {@code bakeHash} name the image it tried to move to; {@code reason} says why it
 * stopped. Kept in the fleet's record until a roll of that fleet succeeds, so that the next plan says so.
 */
public record RollAttempt(String outcome, String imageId, String bakeHash, String reason) {
}
