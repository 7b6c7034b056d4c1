package org.smoothing4j.certify;

/**
 * When sequential sampling may stop: asked after each batch with the counts so far and the samples drawn so far
 * (early abstention, the looks of sequential CERTIFY and PREDICT).
 */
@FunctionalInterface
interface StopRule {
    StopRule NEVER = (counts, drawn) -> false;

    boolean stop(long[] counts, long drawn);
}
