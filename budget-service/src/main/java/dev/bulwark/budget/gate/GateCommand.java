package dev.bulwark.budget.gate;

/** One operation the gate decides in a batch: a reserve, or a settlement of an earlier hold. */
public sealed interface GateCommand permits ReserveCommand, SettleCommand {}
