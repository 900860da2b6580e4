using HParamsNet.Tuning.Storage;
using Microsoft.Data.Sqlite;

namespace HParamsNet.Storage;

/// <summary>Creates the schema of a new file, migrates a file of an older version, and refuses a file written by a newer library.</summary>
internal static class SqliteSchema
{
    // Tables of version 3, in the schema a new file gets and in the migration to it alike.
    private const string Version3Tables = """
        CREATE TABLE trial_attributes (
            study_id INTEGER NOT NULL,
            number INTEGER NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (study_id, number, key));
        CREATE TABLE queued_trials (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            study_id INTEGER NOT NULL,
            hparams TEXT NOT NULL);
        CREATE INDEX queued_trials_study ON queued_trials (study_id, id);
        """;

    private const string Create = """
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        CREATE TABLE studies (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            experiment BLOB NOT NULL,
            objective_group TEXT NOT NULL,
            objective_tag TEXT NOT NULL,
            objective_direction INTEGER NOT NULL,
            next_number INTEGER NOT NULL,
            created INTEGER NOT NULL,
            version INTEGER NOT NULL DEFAULT 0,
            definition TEXT);
        CREATE TABLE study_attributes (
            study_id INTEGER NOT NULL REFERENCES studies (id),
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (study_id, key));
        CREATE TABLE trials (
            study_id INTEGER NOT NULL REFERENCES studies (id),
            number INTEGER NOT NULL,
            state INTEGER NOT NULL,
            hparams TEXT,
            value REAL,
            fold_values TEXT,
            objective_values TEXT,
            constraint_values TEXT,
            error TEXT,
            started INTEGER NOT NULL,
            ended INTEGER,
            heartbeat INTEGER NOT NULL,
            version INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (study_id, number));
        CREATE INDEX trials_running ON trials (study_id, state, heartbeat);
        CREATE INDEX trials_version ON trials (study_id, version);
        CREATE INDEX trials_hparams ON trials (study_id, hparams);
        CREATE TABLE intermediate_values (
            study_id INTEGER NOT NULL,
            number INTEGER NOT NULL,
            fold INTEGER NOT NULL DEFAULT 0,
            step INTEGER NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (study_id, number, fold, step));
        """ + Version3Tables;

    // Each entry takes a file from the version before it to its own; applied in order, in one transaction.
    private static readonly (int Version, string Sql)[] Migrations =
    [
        // 2: versions for incremental reads; an index for "is this configuration taken".
        (2, """
            ALTER TABLE studies ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE trials ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
            CREATE INDEX trials_version ON trials (study_id, version);
            CREATE INDEX trials_hparams ON trials (study_id, hparams);
            """),

        // 3: the study's recorded definition; intermediate values per fold (a trial's folds each
        // report their own steps); user attributes of trials; the queue of enqueued configurations.
        (3, """
            ALTER TABLE studies ADD COLUMN definition TEXT;
            CREATE TABLE intermediate_values_3 (
                study_id INTEGER NOT NULL,
                number INTEGER NOT NULL,
                fold INTEGER NOT NULL DEFAULT 0,
                step INTEGER NOT NULL,
                value REAL NOT NULL,
                PRIMARY KEY (study_id, number, fold, step));
            INSERT INTO intermediate_values_3 (study_id, number, fold, step, value) SELECT study_id, number, 0, step, value FROM intermediate_values;
            DROP TABLE intermediate_values;
            ALTER TABLE intermediate_values_3 RENAME TO intermediate_values;
            """ + Version3Tables),

        // 4: every objective's value of a study with several, and the constraints' values.
        (4, """
            ALTER TABLE trials ADD COLUMN objective_values TEXT;
            ALTER TABLE trials ADD COLUMN constraint_values TEXT;
            """),
    ];

    public static async Task EnsureAsync(SqliteConnection connection, string path, CancellationToken cancellationToken)
    {
        // WAL lets readers run beside the one writer; set per file, kept by SQLite.
        await using (SqliteCommand wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand probe = connection.CreateCommand();
        probe.Transaction = transaction;
        probe.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var tables = new HashSet<string>(StringComparer.Ordinal);
        await using (SqliteDataReader reader = await probe.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (tables.Count == 0)
        {
            probe.CommandText = Create + $"INSERT INTO schema_version (version) VALUES ({SqliteStudyStorage.SchemaVersion});";
            await probe.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!tables.Contains("schema_version"))
        {
            throw new StudyStorageSchemaException($"'{path}' is a SQLite database but not a study storage (it has tables {string.Join(", ", tables.Order(StringComparer.Ordinal))} and no schema_version). Choose another file.");
        }

        probe.CommandText = "SELECT MAX(version) FROM schema_version";
        long version = await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long v ? v : 0;
        if (version > SqliteStudyStorage.SchemaVersion)
        {
            throw new StudyStorageSchemaException($"Study storage '{path}' has schema version {version}, newer than this library's ({SqliteStudyStorage.SchemaVersion}): it was written by a newer HParamsNet. Upgrade HParamsNet to use it; nothing was changed.");
        }

        if (version < SqliteStudyStorage.SchemaVersion)
        {
            foreach ((int to, string sql) in Migrations.Where(m => m.Version > version))
            {
                probe.CommandText = sql + $"INSERT INTO schema_version (version) VALUES ({to});";
                await probe.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
