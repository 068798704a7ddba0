/**
 * The benchmark report: results, charts and the HTML page.
 */
package dev.flagway.bench.report;
