/**
 * The Apache Spark engine of driftlab sweeps ({@code --engine spark}): each member of a sweep is one Spark task,
 * run by the same {@link org.driftlab.sweep.MemberJob} as on the local engine, so its result is bitwise the local
 * engine's. A separate module so that neither the core library nor {@code ./driftlab} depends on Spark.
 */
package org.driftlab.spark;
