/**
 * Certification, prediction and attacks spread over machines on Apache Spark 4, with the rows of one machine: the
 * command line's run commands on a {@link org.smoothing4j.spark.SparkEngine}.
 */
package org.smoothing4j.spark;
