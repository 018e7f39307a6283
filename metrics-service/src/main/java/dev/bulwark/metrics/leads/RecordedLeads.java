package dev.bulwark.metrics.leads;

/** What became of a batch of leads: how many came, were new, and had been sent before. */
public record RecordedLeads(int received, long stored, long duplicates) {}
