package dev.bulwark.backup.api;

import dev.bulwark.backup.llmcalls.LlmCall;
import dev.bulwark.backup.llmcalls.LlmCallArchive;
import dev.bulwark.backup.llmcalls.LlmCallQuery;
import dev.bulwark.common.problem.InvalidRequestProblem;
import dev.bulwark.common.problem.TooLargeProblem;
import dev.bulwark.common.security.Roles;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The raw-data archive's LLM calls: the pipeline writes batches, viewers read and export. */
@Path("/api/v1/archive/llm-calls")
public class LlmCallResource {

  /** JSON Lines: one call per line. */
  public static final String NDJSON = "application/x-ndjson";

  private final LlmCallArchive archive;

  public LlmCallResource(LlmCallArchive archive) {
    this.archive = archive;
  }

  /** Archives a batch whole or not at all; a retried call is stored once. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.PIPELINE)
  public Uni<LlmCallBatchView> store(LlmCallBatchRequest request) {
    if (request == null || request.calls() == null) {
      throw new InvalidRequestProblem("calls", "is required: {\"calls\": [...]}");
    }
    if (request.calls().size() > archive.maxBatchCalls()) {
      throw new TooLargeProblem("calls", request.calls().size(), archive.maxBatchCalls());
    }
    List<LlmCall> calls = new ArrayList<>(request.calls().size());
    for (int i = 0; i < request.calls().size(); i++) {
      LlmCallRequest call = request.calls().get(i);
      if (call == null) {
        throw new InvalidRequestProblem("calls[" + i + "]", "must be a call, not null");
      }
      calls.add(call.toCall(i));
    }
    return archive.store(calls).map(LlmCallBatchView::of);
  }

  /**
   * A page of calls in startedAt, id order; {@code from}/{@code to} bound startedAt ([from, to)),
   * {@code cursor} is the previous page's nextCursor with the same filters.
   */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<LlmCallPageView> list(
      @QueryParam("from") @Parameter(description = "ISO-8601 instant, inclusive") String from,
      @QueryParam("to") @Parameter(description = "ISO-8601 instant, exclusive") String to,
      @QueryParam("model") String model,
      @QueryParam("leadId") String leadId,
      @QueryParam("step") String step,
      @QueryParam("limit") @Parameter(description = "1 to 500, default 50") String limit,
      @QueryParam("cursor") @Parameter(description = "the previous page's nextCursor")
          String cursor) {
    return archive
        .page(LlmCallQuery.parse(from, to, model, leadId, step, limit, cursor))
        .map(LlmCallPageView::of);
  }

  /** Every call of [from, to) with the filters as JSON Lines, streamed in startedAt, id order. */
  @GET
  @Path("/export")
  @Produces(NDJSON)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Multi<LlmCallView> export(
      @QueryParam("from") @Parameter(description = "ISO-8601 instant, inclusive, required")
          String from,
      @QueryParam("to") @Parameter(description = "ISO-8601 instant, exclusive, required") String to,
      @QueryParam("model") String model,
      @QueryParam("leadId") String leadId,
      @QueryParam("step") String step) {
    return archive
        .export(LlmCallQuery.parse(from, to, model, leadId, step, null, null))
        .map(LlmCallView::of);
  }
}
