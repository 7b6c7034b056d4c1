/** Charts of certification results (XChart): built by one call, saved or shown by another. */
package org.smoothing4j.plot;
