/** Base classifiers: anything that maps a batch of images in [0,1] to class scores, including DL4J networks. */
package org.smoothing4j.model;
