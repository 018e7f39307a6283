package dev.bulwark.budget.gate;

/**
 * One row of {@code budget.gate_batch}: its code, whether it repeats an earlier answer, and its
 * body (JSON or text, as {@link AnswerCode} says; null when the code says it all).
 */
public record GateAnswer(AnswerCode code, boolean replayed, String body) {}
