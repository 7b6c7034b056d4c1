/**
 * Certification analysis on Tablesaw tables with the reference log's columns ({@code idx label predict radius
 * correct time}): approximate certified accuracy, average certified radius, high-probability bounds, envelopes over
 * models and summary tables in text, Markdown, LaTeX and CSV.
 */
package org.smoothing4j.analysis;
