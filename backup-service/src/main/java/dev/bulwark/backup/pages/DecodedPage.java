package dev.bulwark.backup.pages;

/** A page as sent, its raw HTML decoded from the sent encoding, and that HTML's SHA-256. */
record DecodedPage(PageUpload upload, byte[] html, String sha256) {

  /**
   * Decodes {@code upload}'s body; both the body as sent and the HTML are at most {@code limit}.
   *
   * @throws PageTooLarge when either is larger
   * @throws UndecodableBody when the body is not what its encoding says
   */
  static DecodedPage of(PageUpload upload, long limit) {
    if (upload.body().length > limit) {
      throw new PageTooLarge("the body", limit);
    }
    byte[] html = PageCodec.decode(upload.encoding(), upload.body(), limit);
    return new DecodedPage(upload, html, PageCodec.sha256(html));
  }
}
