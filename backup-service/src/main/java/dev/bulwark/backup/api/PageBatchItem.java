package dev.bulwark.backup.api;

import dev.bulwark.backup.pages.ContentEncoding;
import dev.bulwark.backup.pages.PageBatchProblems;
import dev.bulwark.backup.pages.PageLead;
import dev.bulwark.backup.pages.PageUpload;
import dev.bulwark.backup.pages.PageUrl;
import dev.bulwark.common.api.Params;
import dev.bulwark.common.problem.ProblemException;
import java.util.Optional;

/**
 * One fetch of a batch: the fields of a single store's query parameters and headers, with the body
 * as the crawler received it in base64 ({@code contentEncoding} says how to decode it).
 */
public record PageBatchItem(
    String url,
    String fetchedAt,
    Integer status,
    String contentType,
    String contentEncoding,
    String leadId,
    byte[] body) {

  /** The upload this item asks for; a malformed field is a 400 naming {@code pages[index]}. */
  PageUpload toUpload(int index, long maxPageSize) {
    try {
      if (status == null || status < 100 || status > 599) {
        throw new PageBatchProblems.InvalidBatchPage(
            index, "status", "'" + status + "' is not an HTTP status from 100 to 599");
      }
      return new PageUpload(
          PageUrl.parse(url),
          Params.optionalInstant("fetchedAt", fetchedAt)
              .orElseThrow(
                  () ->
                      new PageBatchProblems.InvalidBatchPage(
                          index, "fetchedAt", "is required: an ISO-8601 instant")),
          status,
          Optional.ofNullable(contentType).filter(t -> !t.isBlank()),
          Optional.ofNullable(leadId).map(id -> PageLead.check("leadId", id)),
          ContentEncoding.of(contentEncoding),
          body == null ? new byte[0] : body);
    } catch (PageBatchProblems.InvalidBatchPage e) {
      throw e;
    } catch (ProblemException e) {
      throw PageBatchProblems.at(index, e, maxPageSize);
    }
  }
}
