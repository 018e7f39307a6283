package dev.bulwark.backup.pages;

/** A page's HTML as it goes to the client: {@code body} encoded as {@code encoding}. */
public record PageHtml(Page page, byte[] body, ContentEncoding encoding) {}
