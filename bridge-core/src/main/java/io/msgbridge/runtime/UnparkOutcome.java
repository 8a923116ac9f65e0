package io.msgbridge.runtime;

/** What releasing or skipping a parked key of a pipeline did ({@link Bridge#unpark}). */
public enum UnparkOutcome { DONE, UNKNOWN_PIPELINE, NOT_PARKED }
