/**
 * Implementation details of the dual-write library: the SQL it runs and the rows it reads. Nothing here is
 * API; it may change in any release.
 */
package dev.tandem.dualwrite.internal;
