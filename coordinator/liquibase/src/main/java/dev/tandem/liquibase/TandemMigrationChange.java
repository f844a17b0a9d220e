package dev.tandem.liquibase;

import dev.tandem.coordinator.InvalidMigrationException;
import dev.tandem.coordinator.PhaseResult;
import dev.tandem.coordinator.Tandem;
import dev.tandem.coordinator.TandemConfig;
import dev.tandem.coordinator.BackfillListener;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.change.AbstractChange;
import liquibase.change.ChangeMetaData;
import liquibase.change.CheckSum;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.ValidationErrors;
import liquibase.resource.Resource;
import liquibase.statement.SqlStatement;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code <tandem:migration file="002_users.yaml"/>}: a Liquibase change that runs one phase of a Tandem migration
 * inside {@code liquibase update}, so a project keeps Liquibase as its entry point and still gets Tandem's
 * version views, sync triggers and batched backfill. The changeset's label picks the phase (expand, backfill or
 * contract; expand without one). Liquibase finds the class through META-INF/services/liquibase.change.Change.
 *
 * <p>Tandem runs on a connection of its own (its phases commit step by step and build indexes concurrently, which
 * Liquibase's changeset transaction would not allow) and takes its own run lock; so this change belongs in plain
 * {@code liquibase update}, not in a changelog run by {@link LiquibasePhases}, which holds that lock already.
 */
@DatabaseChange(name = "migration", description = "Runs one phase of a Tandem migration (YAML or JSON)",
        priority = ChangeMetaData.PRIORITY_DEFAULT)
public final class TandemMigrationChange extends AbstractChange {
    /** The XML namespace of the change: {@code xmlns:tandem="http://tandem.dev/xml/ns/liquibase"}. */
    public static final String NAMESPACE = "http://tandem.dev/xml/ns/liquibase";
    /**
     * Scope key of a {@link DataSource} for Tandem's own connection. Without it Tandem connects to Liquibase's URL
     * as Liquibase's user, with the password from env {@code TANDEM_PASSWORD}.
     */
    public static final String DATA_SOURCE = "tandem.dataSource";
    /** Scope key of a {@link TandemConfig}; without it the defaults on Liquibase's default schema. */
    public static final String CONFIG = "tandem.config";

    private String file;

    @DatabaseChangeProperty(description = "the Tandem migration file, relative to the changelog that names it",
            exampleValue = "002_users.yaml", requiredForDatabase = "all")
    public String getFile() {
        return file;
    }

    public void setFile(String file) {
        this.file = file;
    }

    @Override
    public String getSerializedObjectNamespace() {
        return NAMESPACE;
    }

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    /** Running it changes the database, so Liquibase must not generate its statements to validate or print SQL. */
    @Override
    public boolean generateStatementsVolatile(Database database) {
        return true;
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = new ValidationErrors();
        errors.checkRequiredField("file", file);
        if (file != null) {
            try {
                migration();
            } catch (InvalidMigrationException e) {
                errors.addError(e.getMessage());
            }
        }
        return errors;
    }

    /** The migration file's content counts, so an edited migration is a changed changeset to Liquibase too. */
    @Override
    public CheckSum generateCheckSum() {
        return CheckSum.compute("tandem:migration " + file + " " + migration().checksum());
    }

    @Override
    public SqlStatement[] generateStatements(Database database) {
        Migration migration = migration();
        Tandem tandem = Tandem.create(dataSource(database), config(database));
        PhaseResult result;
        switch (phase()) {
            case BACKFILL:
                result = tandem.backfill(migration.name(), BackfillListener.NONE);
                break;
            case CONTRACT:
                result = tandem.contract(migration.name());
                break;
            default:
                result = tandem.expand(migration);
                break;
        }
        Scope.getCurrentScope().getLog(getClass()).info(result.migration() + ": " + result.outcome());
        return new SqlStatement[0];
    }

    @Override
    public String getConfirmationMessage() {
        return "Tandem migration " + file + ": " + phase().done();
    }

    private ChangelogPhase phase() {
        List<ChangelogPhase> phases = new ArrayList<>();
        if (getChangeSet() != null && getChangeSet().getLabels() != null) {
            for (String label : getChangeSet().getLabels().getLabels()) {
                ChangelogPhase phase = ChangelogPhase.ofLabel(label);
                if (phase != null && !phases.contains(phase)) {
                    phases.add(phase);
                }
            }
        }
        if (phases.size() > 1) {
            throw new InvalidMigrationException(LabelledChangeSets.describe(getChangeSet())
                    + " has more than one phase label; tandem:migration runs one phase");
        }
        return phases.isEmpty() ? ChangelogPhase.EXPAND : phases.get(0);
    }

    private Migration migration() {
        Resource resource = resource();
        try (InputStream in = resource.openInputStream()) {
            return new MigrationParser().parse(file, in.readAllBytes());
        } catch (IOException e) {
            throw new InvalidMigrationException(resource.getPath() + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private Resource resource() {
        try {
            String changelog = getChangeSet().getChangeLog().getPhysicalFilePath();
            Resource resource = Scope.getCurrentScope().getResourceAccessor().get(changelog).resolveSibling(file);
            if (!resource.exists()) {
                throw new InvalidMigrationException(changelog + ": tandem:migration file '" + file
                        + "' not found next to the changelog");
            }
            return resource;
        } catch (IOException e) {
            throw new InvalidMigrationException("tandem:migration file '" + file + "': " + e.getMessage(), e);
        }
    }

    private static DataSource dataSource(Database database) {
        DataSource given = Scope.getCurrentScope().get(DATA_SOURCE, DataSource.class);
        if (given != null) {
            return given;
        }
        PGSimpleDataSource own = new PGSimpleDataSource();
        own.setURL(database.getConnection().getURL());
        own.setUser(database.getConnection().getConnectionUserName());
        own.setPassword(System.getenv("TANDEM_PASSWORD"));
        return own;
    }

    private static TandemConfig config(Database database) {
        TandemConfig given = Scope.getCurrentScope().get(CONFIG, TandemConfig.class);
        return given != null ? given : TandemConfig.builder().schema(database.getDefaultSchemaName()).build();
    }
}
