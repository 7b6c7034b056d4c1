package org.smoothing4j.spark;

import java.io.Serializable;
import java.util.List;
import org.smoothing4j.run.RunSpec;

/**
 * What every task of a distributed run needs to compute rows exactly as one process would: the run, the model file's
 * name among the files shipped with the job and its SHA-256 (checked on the executor), the --normalize given for it,
 * and the data set: its name or folder, read on the executor, or the selected images themselves.
 *
 * @param files   the names of the model's files shipped with {@code SparkContext.addFile} (the first is the model)
 * @param shipped the selected images, when the executors cannot read the data set themselves; else null
 */
record TaskSpec(RunSpec run, List<String> files, String modelSha256, String normalize, String dataset,
        ShippedImages shipped) implements Serializable {}
