/** The {@code smoothing4j} command line: parse flags, build library objects, make one library call, print. */
package org.smoothing4j.cli;
