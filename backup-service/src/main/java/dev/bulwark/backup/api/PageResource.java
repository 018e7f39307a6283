package dev.bulwark.backup.api;

import dev.bulwark.backup.pages.ContentEncoding;
import dev.bulwark.backup.pages.PageHtml;
import dev.bulwark.backup.pages.PageLead;
import dev.bulwark.backup.pages.PageUpload;
import dev.bulwark.backup.pages.PageUrl;
import dev.bulwark.backup.pages.Pages;
import dev.bulwark.common.api.Params;
import dev.bulwark.common.problem.InvalidParameter;
import dev.bulwark.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The raw-data archive's pages: store a fetch, list a URL's versions, read one back. */
@Path("/api/v1/archive/pages")
@Produces(MediaType.APPLICATION_JSON)
public class PageResource {

  private final Pages pages;

  public PageResource(Pages pages) {
    this.pages = pages;
  }

  /**
   * Archives one fetch: the body is the page as the crawler received it, with its {@code
   * Content-Type} and {@code Content-Encoding}; 201, or 200 when its content was already stored.
   */
  @POST
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed(Roles.PIPELINE)
  public Uni<Response> store(
      @QueryParam("url") String url,
      @QueryParam("fetchedAt") String fetchedAt,
      @QueryParam("status") String status,
      @QueryParam("leadId") String leadId,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
      byte[] body) {
    PageUpload upload =
        new PageUpload(
            PageUrl.parse(url),
            Params.optionalInstant("fetchedAt", fetchedAt)
                .orElseThrow(
                    () ->
                        new InvalidParameter(
                            "fetchedAt", null, "an ISO-8601 instant such as 2026-11-01T00:00:00Z")),
            required("status", status),
            Optional.ofNullable(contentType).filter(t -> !t.isBlank()),
            Optional.ofNullable(leadId).map(id -> PageLead.check("leadId", id)),
            ContentEncoding.of(contentEncoding),
            body == null ? new byte[0] : body);
    return pages
        .store(upload)
        .map(
            stored ->
                Response.status(stored.deduplicated() ? 200 : 201)
                    .location(URI.create("/api/v1/archive/pages/" + stored.page().id()))
                    .entity(PageView.of(stored))
                    .build());
  }

  /** The fetches of {@code url}, newest first, a page at a time. */
  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<PageVersionsView> versions(
      @QueryParam("url") String url,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return pages
        .versions(
            PageUrl.parse(url),
            Optional.ofNullable(cursor),
            Params.integer("limit", limit, 1, 500, 50))
        .map(PageVersionsView::of);
  }

  /** The newest fetch of {@code url} at or before {@code asOf} (default: now). */
  @GET
  @Path("/as-of")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<PageView> asOf(@QueryParam("url") String url, @QueryParam("asOf") String asOf) {
    return pages.asOf(PageUrl.parse(url), Params.optionalInstant("asOf", asOf)).map(PageView::of);
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<PageView> get(@PathParam("id") String id) {
    return pages.byId(Params.uuid("id", id)).map(PageView::of);
  }

  /**
   * The raw HTML, byte for byte as fetched: zstd when the client accepts it and the page is stored
   * without a dictionary, else gzip when accepted, else identity.
   */
  @GET
  @Path("/{id}/html")
  @Produces(MediaType.WILDCARD)
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public Uni<Response> html(
      @PathParam("id") String id, @HeaderParam(HttpHeaders.ACCEPT_ENCODING) String accept) {
    return pages.html(Params.uuid("id", id), accepted(accept)).map(PageResource::response);
  }

  private static Response response(PageHtml html) {
    Response.ResponseBuilder response =
        Response.ok(html.body())
            .type(html.page().contentType().orElse(MediaType.APPLICATION_OCTET_STREAM))
            .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
    if (html.encoding() != ContentEncoding.IDENTITY) {
      response.header(
          HttpHeaders.CONTENT_ENCODING, html.encoding().name().toLowerCase(Locale.ROOT));
    }
    return response.build();
  }

  /** The encodings an {@code Accept-Encoding} header accepts (q=0 refuses one). */
  static List<ContentEncoding> accepted(String header) {
    List<ContentEncoding> accepted = new ArrayList<>();
    if (header == null) {
      return accepted;
    }
    for (String part : header.split(",")) {
      String[] fields = part.trim().split(";");
      String name = fields[0].trim().toLowerCase(Locale.ROOT);
      boolean refused = false;
      for (int i = 1; i < fields.length; i++) {
        String param = fields[i].trim().replace(" ", "");
        refused |= param.matches("q=0(\\.0*)?");
      }
      if (refused) {
        continue;
      }
      switch (name) {
        case "gzip", "x-gzip" -> accepted.add(ContentEncoding.GZIP);
        case "zstd" -> accepted.add(ContentEncoding.ZSTD);
        default -> {}
      }
    }
    return accepted;
  }

  private static int required(String name, String value) {
    if (value == null) {
      throw new InvalidParameter(name, null, "an HTTP status from 100 to 599");
    }
    return Params.integer(name, value, 100, 599, 0);
  }
}
