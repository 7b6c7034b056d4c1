/**
 * Ablation grids: axes over any training or certification setting ({@link org.smoothing4j.grid.Axis}), the cells of
 * their product ({@link org.smoothing4j.grid.Grid}), each trained and certified where a rerun finds it
 * ({@link org.smoothing4j.grid.CellSteps}: a notebook's cache, or one run folder per cell), and one tidy table of the
 * results with its pivots, faceted curves and band comparisons ({@link org.smoothing4j.grid.GridResult}).
 */
package org.smoothing4j.grid;
