package dev.tandem.cli;

import picocli.CommandLine.IVersionProvider;

/** The version written into the jar's manifest at build time. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Migrate.class.getPackage().getImplementationVersion();
        return new String[] {"tandem-migrate " + (version == null ? "(development build)" : version)};
    }
}
