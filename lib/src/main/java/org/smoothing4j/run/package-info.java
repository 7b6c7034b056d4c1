/**
 * Runs over test examples, one path from flags to rows: a {@link org.smoothing4j.run.RunSpec} (what to compute, one
 * record per run kind, checked once), its {@link org.smoothing4j.run.RunPlan} (header, settings, per-example step,
 * {@link org.smoothing4j.run.Plans}), the {@link org.smoothing4j.run.ExampleLoop} (selection, resume, progress) and
 * the one row builder {@link org.smoothing4j.run.LogRow}, used by this process and by every Spark task alike.
 */
package org.smoothing4j.run;
