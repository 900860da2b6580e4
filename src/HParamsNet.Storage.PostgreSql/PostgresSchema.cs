using HParamsNet.Tuning.Storage;
using Npgsql;

namespace HParamsNet.Storage;

/// <summary>Creates the tables on first use and migrates older ones (one worker at a time), and refuses tables written by a newer library.</summary>
internal static class PostgresSchema
{
    // Tables of version 3, in the schema a new database gets and in the migration to it alike.
    private const string Version3Tables = """
        CREATE TABLE trial_attributes (
            study_id bigint NOT NULL,
            number integer NOT NULL,
            key text NOT NULL,
            value text NOT NULL,
            PRIMARY KEY (study_id, number, key));
        CREATE TABLE queued_trials (
            id bigserial PRIMARY KEY,
            study_id bigint NOT NULL,
            hparams text NOT NULL);
        CREATE INDEX queued_trials_study ON queued_trials (study_id, id);
        """;

    private const string Create = """
        CREATE TABLE schema_version (version integer NOT NULL);
        CREATE TABLE studies (
            id bigserial PRIMARY KEY,
            name text NOT NULL UNIQUE,
            experiment bytea NOT NULL,
            objective_group text NOT NULL,
            objective_tag text NOT NULL,
            objective_direction integer NOT NULL,
            next_number integer NOT NULL,
            created timestamptz NOT NULL DEFAULT clock_timestamp(),
            version bigint NOT NULL DEFAULT 0,
            definition text);
        CREATE TABLE study_attributes (
            study_id bigint NOT NULL REFERENCES studies (id),
            key text NOT NULL,
            value text NOT NULL,
            PRIMARY KEY (study_id, key));
        CREATE TABLE trials (
            study_id bigint NOT NULL REFERENCES studies (id),
            number integer NOT NULL,
            state integer NOT NULL,
            hparams text,
            value double precision,
            fold_values text,
            objective_values text,
            constraint_values text,
            error text,
            started timestamptz NOT NULL,
            ended timestamptz,
            heartbeat timestamptz NOT NULL,
            version bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (study_id, number));
        CREATE INDEX trials_running ON trials (study_id, state, heartbeat);
        CREATE INDEX trials_version ON trials (study_id, version);
        CREATE INDEX trials_hparams ON trials (study_id, md5(hparams));
        CREATE TABLE intermediate_values (
            study_id bigint NOT NULL,
            number integer NOT NULL,
            fold integer NOT NULL DEFAULT 0,
            step bigint NOT NULL,
            value double precision NOT NULL,
            PRIMARY KEY (study_id, number, fold, step));
        """ + Version3Tables;

    // Each entry takes the tables from the version before it to its own; applied in order, in the creator's transaction.
    private static readonly (int Version, string Sql)[] Migrations =
    [
        // 2: versions for incremental reads; an index for "is this configuration taken" (md5: a
        // configuration's text may exceed a btree entry).
        (2, """
            ALTER TABLE studies ADD COLUMN version bigint NOT NULL DEFAULT 1;
            ALTER TABLE trials ADD COLUMN version bigint NOT NULL DEFAULT 1;
            CREATE INDEX trials_version ON trials (study_id, version);
            CREATE INDEX trials_hparams ON trials (study_id, md5(hparams));
            """),

        // 3: the study's recorded definition; intermediate values per fold (a trial's folds each
        // report their own steps); user attributes of trials; the queue of enqueued configurations.
        (3, """
            ALTER TABLE studies ADD COLUMN definition text;
            ALTER TABLE intermediate_values ADD COLUMN fold integer NOT NULL DEFAULT 0;
            ALTER TABLE intermediate_values DROP CONSTRAINT intermediate_values_pkey;
            ALTER TABLE intermediate_values ADD PRIMARY KEY (study_id, number, fold, step);
            """ + Version3Tables),

        // 4: every objective's value of a study with several, and the constraints' values.
        (4, """
            ALTER TABLE trials ADD COLUMN objective_values text;
            ALTER TABLE trials ADD COLUMN constraint_values text;
            """),
    ];

    public static async Task EnsureAsync(NpgsqlConnection connection, string schema, string where, bool create, CancellationToken cancellationToken)
    {
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand command = connection.CreateCommand();
        command.Transaction = transaction;

        // Workers starting together: one creates the tables, the others wait for it and find them.
        command.CommandText = $"SELECT pg_advisory_xact_lock(hashtext('hparamsnet:{schema}')); CREATE SCHEMA IF NOT EXISTS \"{schema}\"";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        command.CommandText = "SELECT to_regclass('schema_version') IS NOT NULL";
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
        {
            if (!create)
            {
                // The transaction is rolled back: not even the schema is left behind.
                throw new StudyStorageSchemaException($"The {where} holds no study storage in schema '{schema}'. Check the URL (and its ?schema=); nothing was created.");
            }

            command.CommandText = Create + $"INSERT INTO schema_version (version) VALUES ({PostgresStudyStorage.SchemaVersion});";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            command.CommandText = "SELECT MAX(version) FROM schema_version";
            int version = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int v ? v : 0;
            if (version > PostgresStudyStorage.SchemaVersion)
            {
                throw new StudyStorageSchemaException($"The study storage in schema '{schema}' of the {where} has schema version {version}, newer than this library's ({PostgresStudyStorage.SchemaVersion}): it was written by a newer HParamsNet. Upgrade HParamsNet to use it; nothing was changed.");
            }

            foreach ((int to, string sql) in Migrations.Where(m => m.Version > version))
            {
                command.CommandText = sql + $"INSERT INTO schema_version (version) VALUES ({to});";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
