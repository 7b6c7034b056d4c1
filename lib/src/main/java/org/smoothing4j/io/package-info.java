/** Files every stage writes: append-only resumable TSV logs, atomic writes, JSON provenance. */
package org.smoothing4j.io;
