/**
 * The Apache Spark engine of driftlab sweeps and landscapes ({@code --engine spark}): each member of a sweep is one
 * Spark task, run by the same {@link org.driftlab.sweep.MemberJob} as on the local engine, and each chunk of a
 * landscape's points one task of the same {@link org.driftlab.sweep.WorkJob}, so results are bitwise the local
 * engine's. A separate module so that neither the core library nor {@code ./driftlab} depends on Spark.
 */
package org.driftlab.spark;
