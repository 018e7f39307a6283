package dev.bulwark.backup.api;

import java.util.List;

/** {@code POST /api/v1/archive/pages/batches}: the fetches to archive, stored all or none. */
public record PageBatchRequest(List<PageBatchItem> pages) {}
