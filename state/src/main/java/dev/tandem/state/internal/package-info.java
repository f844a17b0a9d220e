/** Implementation details of the state module: how its DDL resources are read. Not API. */
package dev.tandem.state.internal;
