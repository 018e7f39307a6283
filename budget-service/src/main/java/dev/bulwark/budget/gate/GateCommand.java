package dev.bulwark.budget.gate;

/**
 * One operation the gate decides in a batch: a reserve, a settlement of an earlier hold, or spend
 * recorded without a reservation.
 */
public sealed interface GateCommand permits ReserveCommand, SettleCommand, UngatedCommand {}
