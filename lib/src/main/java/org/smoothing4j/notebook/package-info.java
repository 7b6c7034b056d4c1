/** Notebooks run without a Jupyter kernel, cell by cell under JShell's semantics as IJava evaluates them. */
package org.smoothing4j.notebook;
