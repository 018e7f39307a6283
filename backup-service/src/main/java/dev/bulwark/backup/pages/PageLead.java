package dev.bulwark.backup.pages;

import dev.bulwark.common.problem.InvalidRequestProblem;
import java.util.regex.Pattern;

/** Checks lead ids (the pipeline's, opaque here): short, printable, no spaces. */
public final class PageLead {

  private static final Pattern LEAD = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

  private PageLead() {}

  public static String check(String field, String leadId) {
    if (leadId == null || !LEAD.matcher(leadId).matches()) {
      throw new InvalidRequestProblem(
          field, "'" + leadId + "' is not a lead id: 1 to 128 letters, digits or . _ : @ -");
    }
    return leadId;
  }
}
