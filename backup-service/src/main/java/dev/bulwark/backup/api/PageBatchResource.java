package dev.bulwark.backup.api;

import dev.bulwark.backup.pages.PageBatchProblems;
import dev.bulwark.backup.pages.PageBatches;
import dev.bulwark.backup.pages.PageUpload;
import dev.bulwark.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;

/** Many fetches in one request, for crawlers that archive faster than one page per request. */
@Path("/api/v1/archive/pages")
public class PageBatchResource {

  private final PageBatches batches;

  public PageBatchResource(PageBatches batches) {
    this.batches = batches;
  }

  /** Archives a batch whole or not at all; each page is answered as the single store would. */
  @POST
  @Path("/batches")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.PIPELINE)
  public Uni<PageBatchView> store(PageBatchRequest request) {
    if (request == null || request.pages() == null || request.pages().isEmpty()) {
      throw new PageBatchProblems.EmptyBatch();
    }
    if (request.pages().size() > batches.maxBatchPages()) {
      throw new PageBatchProblems.BatchTooLarge(request.pages().size(), batches.maxBatchPages());
    }
    List<PageUpload> uploads = new ArrayList<>(request.pages().size());
    for (int i = 0; i < request.pages().size(); i++) {
      PageBatchItem item = request.pages().get(i);
      if (item == null) {
        throw new PageBatchProblems.InvalidBatchPage(i, "", "must be a page, not null");
      }
      uploads.add(item.toUpload(i, batches.maxPageSize()));
    }
    return batches.store(uploads).map(PageBatchView::of);
  }
}
