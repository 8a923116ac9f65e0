/**
 * Helpers that backends share but that are not the contract between the core and a backend (that is
 * {@link io.msgbridge.spi}): the usual source and sink specs ({@link io.msgbridge.backend.BackendSourceSpec},
 * {@link io.msgbridge.backend.BackendSinkSpec}, {@link io.msgbridge.backend.ReaderSpec}), destination
 * templates and how topics and subjects are read from config ({@link io.msgbridge.backend.TopicConfig}),
 * unwrapping a client's exceptions, PEM TLS contexts, strict-order and partition-drain bookkeeping,
 * and the texts of counts, durations and outages in log lines (which
 * the core writes the same way). A backend imports only this package and the SPI; this package depends
 * on the SPI alone.
 */
package io.msgbridge.backend;
