package dev.bulwark.metrics.email;

import dev.bulwark.metrics.store.EmailStore.WindowCounts;

/** One campaign's event counts in a window. */
public record CampaignCounts(String campaign, WindowCounts counts) {}
