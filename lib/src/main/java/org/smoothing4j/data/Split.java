package org.smoothing4j.data;

/** Which part of a data set. */
public enum Split {
    TRAIN, TEST
}
