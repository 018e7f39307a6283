package dev.bulwark.metrics.email;

/** One campaign's event counts in a window. */
public record CampaignCounts(String campaign, WindowCounts counts) {}
