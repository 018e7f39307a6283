package dev.bulwark.backup.llmcalls;

import dev.bulwark.common.problem.ConflictProblem;
import dev.bulwark.common.problem.InvalidRequestProblem;
import dev.bulwark.common.problem.ProblemException;

/** The LLM-call archive's typed refusals, each telling the caller what to fix. */
public final class LlmCallProblems {

  private LlmCallProblems() {}

  /** One call of a batch is invalid: the batch is refused whole and names it. */
  public static class InvalidLlmCall extends InvalidRequestProblem {
    public InvalidLlmCall(int index, String field, String message) {
      super("calls[" + index + "]." + field, message + "; nothing of the batch was stored");
    }
  }

  /** The batch carries no calls. */
  public static class EmptyBatch extends InvalidRequestProblem {
    public EmptyBatch() {
      super("calls", "must hold at least one call");
    }
  }

  /** The same id twice in one batch. */
  public static class RepeatedId extends InvalidRequestProblem {
    public RepeatedId(int index, int first) {
      super(
          "calls[" + index + "].id",
          "repeats calls[" + first + "].id; send each call once; nothing of the batch was stored");
    }
  }

  /** A batch over the byte limit; the call-count limit is common's {@code TooLargeProblem}. */
  public static class BatchTooLarge extends ProblemException {
    public BatchTooLarge(long bytes, long limit) {
      super(
          413,
          "too-large",
          "Batch too large",
          "calls: "
              + bytes
              + " bytes of prompts and completions, at most "
              + limit
              + " per request; split the batch");
    }
  }

  /** An id already archived with other content: a retry must send the call unchanged. */
  public static class IdTaken extends ConflictProblem {
    public IdTaken(int index, String id) {
      super(
          "llm-call-id-taken",
          "calls["
              + index
              + "].id: '"
              + id
              + "' is already archived with other content; a retry must resend the call"
              + " unchanged, another call needs another id; nothing of the batch was stored");
    }
  }

  /** {@code cursor} is not a nextCursor this listing issued. */
  public static class InvalidCursor extends InvalidRequestProblem {
    public InvalidCursor() {
      super("cursor", "is not a nextCursor of this listing; start again without a cursor");
    }
  }

  /** {@code cursor} was issued for other filters than the ones given. */
  public static class CursorForOtherFilters extends InvalidRequestProblem {
    public CursorForOtherFilters() {
      super("cursor", "was issued for other filters; repeat the first page's filters with it");
    }
  }

  /** {@code from} is not before {@code to}. */
  public static class EmptyRange extends InvalidRequestProblem {
    public EmptyRange() {
      super("to", "must be after from");
    }
  }

  /** An export without one end of its range. */
  public static class RangeRequired extends InvalidRequestProblem {
    public RangeRequired(String parameter) {
      super(parameter, "is required: an export names its time range (from, to)");
    }
  }
}
