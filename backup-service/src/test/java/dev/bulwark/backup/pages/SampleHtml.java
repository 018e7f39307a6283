package dev.bulwark.backup.pages;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Homepage-like HTML: shared boilerplate around text that differs per page and seed. */
public final class SampleHtml {

  private static final String[] WORDS = {
    "pipeline",
    "lead",
    "homepage",
    "contact",
    "pricing",
    "about",
    "careers",
    "blog",
    "product",
    "customer",
    "support",
    "platform",
    "enterprise",
    "privacy",
    "terms",
    "solutions",
    "partners"
  };

  private SampleHtml() {}

  public static byte[] page(String title, long seed, String theme) {
    Random random = new Random(seed);
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(title)
        .append("</title><link rel=\"stylesheet\" href=\"/assets/")
        .append(theme)
        .append(".css\"></head>\n<body class=\"")
        .append(theme)
        .append("\"><nav class=\"navbar navbar-expand-lg\"><ul class=\"nav\">");
    for (String item : new String[] {"Home", "Products", "Pricing", "About us", "Contact"}) {
      html.append("<li class=\"nav-item\"><a class=\"nav-link\" href=\"/")
          .append(item.toLowerCase().replace(' ', '-'))
          .append("\">")
          .append(item)
          .append("</a></li>");
    }
    html.append("</ul></nav>\n<main>");
    for (int p = 0; p < 20; p++) {
      html.append("<section class=\"").append(theme).append("-section\"><p>");
      for (int w = 0; w < 40; w++) {
        html.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(1000)).append(' ');
      }
      html.append("</p></section>\n");
    }
    html.append("</main><footer class=\"footer\"><p>&copy; 2026 ")
        .append(title)
        .append(". All rights reserved. <a href=\"/privacy\">Privacy policy</a></p></footer>")
        .append("</body></html>\n");
    return html.toString().getBytes(StandardCharsets.UTF_8);
  }
}
