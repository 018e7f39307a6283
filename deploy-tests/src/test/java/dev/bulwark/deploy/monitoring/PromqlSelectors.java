package dev.bulwark.deploy.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric selectors of a PromQL expression: each metric name it reads, with the {@code job} its
 * label matchers pin (if any). A small scanner, not a parser: promtool checks the syntax; this only
 * has to tell metric names from functions, keywords, label names and durations.
 */
final class PromqlSelectors {

  /** One metric a query reads; {@code job} when a matcher {@code job="..."} selects one. */
  record Selector(String metric, Optional<String> job) {}

  // Words that are followed by a label list in parentheses, which holds label names, not metrics.
  private static final Set<String> LABEL_LIST_KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");
  private static final Pattern JOB_EQUALS =
      Pattern.compile("(?:^|[,{\\s])job\\s*=\\s*\"([^\"]*)\"");

  private final String expr;
  private int pos;

  private PromqlSelectors(String expr) {
    this.expr = expr;
  }

  static List<Selector> of(String expr) {
    return new PromqlSelectors(expr).scan();
  }

  private List<Selector> scan() {
    List<Selector> selectors = new ArrayList<>();
    String pendingMetric = null;
    while (pos < expr.length()) {
      char c = expr.charAt(pos);
      if (c == '"' || c == '\'' || c == '`') {
        skipString(c);
      } else if (c == '{') {
        String matchers = block('{', '}');
        if (matchers.contains("__name__")) {
          throw new IllegalArgumentException(
              "select metrics by name, not by __name__, so that they can be checked: " + expr);
        }
        if (pendingMetric != null) {
          selectors.add(new Selector(pendingMetric, job(matchers)));
          pendingMetric = null;
        }
        continue;
      } else if (c == '$') {
        // A Grafana variable ($namespace, ${namespace}, $__rate_interval): not PromQL's.
        pos++;
        if (pos < expr.length() && expr.charAt(pos) == '{') {
          block('{', '}');
        } else {
          identifier();
        }
        continue;
      } else if (c == '[') {
        block('[', ']');
        continue;
      } else if (Character.isDigit(c) || (c == '.' && peekDigit())) {
        skipNumber();
        continue;
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        if (pendingMetric != null) {
          selectors.add(new Selector(pendingMetric, Optional.empty()));
          pendingMetric = null;
        }
        String word = identifier();
        pendingMetric = classify(word);
        continue;
      } else if (!Character.isWhitespace(c) && pendingMetric != null) {
        selectors.add(new Selector(pendingMetric, Optional.empty()));
        pendingMetric = null;
      }
      pos++;
    }
    if (pendingMetric != null) {
      selectors.add(new Selector(pendingMetric, Optional.empty()));
    }
    return selectors;
  }

  /** The metric name {@code word} is, or null for a function, keyword or modifier. */
  private String classify(String word) {
    String lower = word.toLowerCase();
    int next = nextNonBlank();
    if (LABEL_LIST_KEYWORDS.contains(lower)) {
      if (next < expr.length() && expr.charAt(next) == '(') {
        pos = next;
        block('(', ')');
      }
      return null;
    }
    if (lower.equals("offset")) {
      pos = next;
      identifierOrNumber();
      return null;
    }
    if (KEYWORDS.contains(lower) || AGGREGATIONS.contains(lower)) {
      return null;
    }
    if (next < expr.length() && expr.charAt(next) == '(') {
      return null; // a function or an aggregation
    }
    return word;
  }

  private static Optional<String> job(String matchers) {
    Matcher matcher = JOB_EQUALS.matcher(matchers);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  private String identifier() {
    int start = pos;
    while (pos < expr.length()
        && (Character.isLetterOrDigit(expr.charAt(pos))
            || expr.charAt(pos) == '_'
            || expr.charAt(pos) == ':')) {
      pos++;
    }
    return expr.substring(start, pos);
  }

  private void identifierOrNumber() {
    if (pos < expr.length() && expr.charAt(pos) == '-') {
      pos++;
    }
    identifier();
  }

  /** A number, a duration or a hex literal: digits, letters and dots run together. */
  private void skipNumber() {
    while (pos < expr.length()
        && (Character.isLetterOrDigit(expr.charAt(pos)) || expr.charAt(pos) == '.')) {
      char c = expr.charAt(pos);
      pos++;
      if ((c == 'e' || c == 'E')
          && pos < expr.length()
          && (expr.charAt(pos) == '+' || expr.charAt(pos) == '-')) {
        pos++;
      }
    }
  }

  private boolean peekDigit() {
    return pos + 1 < expr.length() && Character.isDigit(expr.charAt(pos + 1));
  }

  private int nextNonBlank() {
    int i = pos;
    while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
      i++;
    }
    return i;
  }

  private void skipString(char quote) {
    pos++;
    while (pos < expr.length() && expr.charAt(pos) != quote) {
      if (expr.charAt(pos) == '\\' && quote != '`') {
        pos++;
      }
      pos++;
    }
    pos++;
  }

  /** The text between {@code open} at pos and its {@code close}, skipping strings; pos after it. */
  private String block(char open, char close) {
    int start = ++pos;
    int depth = 1;
    while (pos < expr.length()) {
      char c = expr.charAt(pos);
      if (c == '"' || c == '\'' || c == '`') {
        skipString(c);
        continue;
      }
      if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return expr.substring(start, pos++);
      }
      pos++;
    }
    throw new IllegalArgumentException("unbalanced " + open + " in " + expr);
  }
}
