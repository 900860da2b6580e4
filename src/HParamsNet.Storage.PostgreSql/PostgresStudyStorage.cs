using System.Data;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Google.Protobuf;
using HParamsNet.Protos.HParams;
using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;
using Npgsql;

namespace HParamsNet.Storage;

/// <summary>
/// A study storage in PostgreSQL, for workers on many machines: pooled connections, trial numbers
/// from a per-study counter row (its row lock orders concurrent workers), stale trials failed by
/// one conditional UPDATE (a trial is failed by one sweeper only), and a versioned schema created
/// on first use.
/// </summary>
/// <remarks>
/// Times are the database server's (<c>clock_timestamp()</c>): workers on several machines then
/// judge heartbeats by one clock. The password of the URL never appears in messages. Every
/// transaction that locks rows takes the study's row first and a trial's row after it, so that
/// concurrent workers queue and never deadlock.
/// </remarks>
public sealed partial class PostgresStudyStorage : IStudyStorage
{
    /// <summary>The schema version this library writes and reads.</summary>
    public const int SchemaVersion = 4;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _where;
    private readonly LoadedStudies _loaded = new();

    private PostgresStudyStorage(NpgsqlDataSource dataSource, string where)
    {
        _dataSource = dataSource;
        _where = where;
    }

    /// <summary>
    /// Connects to the database of <paramref name="urlOrConnectionString"/>
    /// (<c>postgresql://user:password@host:5432/database</c>, or an ADO.NET connection string) and
    /// creates the storage's tables in <paramref name="schema"/> when they are not there.
    /// </summary>
    /// <param name="urlOrConnectionString">Where the database is.</param>
    /// <param name="schema">The PostgreSQL schema that holds the tables (letters, digits, underscores).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="StudyStorageUnavailableException">The database cannot be reached, or does not exist; the message names host, port and database.</exception>
    /// <exception cref="StudyStorageAccessException">The server refuses the login, or the role lacks the rights.</exception>
    /// <exception cref="StudyStorageSchemaException">The tables were written by a newer library.</exception>
    public static Task<PostgresStudyStorage> OpenAsync(string urlOrConnectionString, string schema = "public", CancellationToken cancellationToken = default) =>
        OpenAsync(urlOrConnectionString, schema, create: true, cancellationToken);

    /// <summary>Connects to a storage that exists (for reading what workers wrote): creates nothing.</summary>
    /// <param name="urlOrConnectionString">Where the database is.</param>
    /// <param name="schema">The PostgreSQL schema that holds the tables.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="StudyStorageUnavailableException">The database cannot be reached, or does not exist; the message names host, port and database.</exception>
    /// <exception cref="StudyStorageAccessException">The server refuses the login, or the role lacks the rights.</exception>
    /// <exception cref="StudyStorageSchemaException">The schema holds no study storage, or one written by a newer library.</exception>
    public static Task<PostgresStudyStorage> OpenExistingAsync(string urlOrConnectionString, string schema = "public", CancellationToken cancellationToken = default) =>
        OpenAsync(urlOrConnectionString, schema, create: false, cancellationToken);

    /// <summary>The <c>application_name</c> the store's connections carry when the connection string sets none.</summary>
    internal static string ApplicationName(string schema) => $"hparamsnet:{schema}";

    private static async Task<PostgresStudyStorage> OpenAsync(string urlOrConnectionString, string schema, bool create, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(schema);
        if (!Identifier().IsMatch(schema))
        {
            throw new ArgumentException($"Schema '{schema}' must be letters, digits and underscores, starting with a letter or underscore.", nameof(schema));
        }

        NpgsqlConnectionStringBuilder builder = PostgresUrl.Parse(urlOrConnectionString);

        // Quoted: PostgreSQL folds an unquoted name to lower case, and the schema is created quoted.
        builder.SearchPath = $"\"{schema}\"";
        builder.Timeout = builder.Timeout == 15 ? 5 : builder.Timeout; // fail fast on an unreachable host, unless told otherwise

        // pg_stat_activity then says whose connections these are, so an administrator (or a test)
        // can end one study store's sessions without touching another's on the same role.
        builder.ApplicationName ??= ApplicationName(schema);

        // The store's few statements run thousands of times: prepared once per connection (unless
        // the caller says otherwise), and kept across pool returns, since the store sets no session
        // state that a reset would need to clear.
        builder.MaxAutoPrepare = builder.MaxAutoPrepare == 0 ? 32 : builder.MaxAutoPrepare;
        builder.NoResetOnClose = true;

        // A commit returns before its WAL record is flushed (PostgreSQL's asynchronous commit): a
        // killed worker loses nothing it was told was stored, a crash of the database server may
        // lose its last fraction of a second of commits (never a half one), as the SQLite store
        // under synchronous=NORMAL. Three commits a trial otherwise wait for three flushes. A
        // connection string that sets synchronous_commit itself is left alone.
        if (builder.Options?.Contains("synchronous_commit", StringComparison.Ordinal) != true)
        {
            builder.Options = $"{builder.Options} -c synchronous_commit=off".Trim();
        }
        string where = PostgresUrl.Describe(builder);
        NpgsqlDataSource dataSource = NpgsqlDataSource.Create(builder);
        var storage = new PostgresStudyStorage(dataSource, where);
        try
        {
            await using NpgsqlConnection connection = await storage.ConnectAsync(cancellationToken).ConfigureAwait(false);
            await PostgresSchema.EnsureAsync(connection, schema, where, create, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            if (PostgresFailures.Translate(e, where) is { } failure)
            {
                throw failure;
            }

            throw;
        }

        return storage;
    }

    /// <inheritdoc/>
    public ValueTask CreateOrLoadStudyAsync(StudyDefinition definition, CancellationToken cancellationToken = default) => Guard(() => CreateOrLoadStudyAsyncCore(definition, cancellationToken));

    private async ValueTask CreateOrLoadStudyAsyncCore(StudyDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();
        string record = definition.ToRecord().ToJson();
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (NpgsqlCommand insert = Command(
            connection,
            transaction,
            "INSERT INTO studies (name, experiment, objective_group, objective_tag, objective_direction, next_number, definition) VALUES ($1, $2, $3, $4, $5, 1, $6) ON CONFLICT (name) DO NOTHING",
            definition.Name,
            definition.Experiment.ToProto(0).ToByteArray(),
            definition.Objective.Metric.Group,
            definition.Objective.Metric.Tag,
            (int)definition.Objective.Direction,
            record))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        bool recorded;
        await using (NpgsqlCommand find = Command(connection, transaction, "SELECT experiment, objective_group, objective_tag, objective_direction, definition FROM studies WHERE name = $1 FOR UPDATE", definition.Name))
        await using (NpgsqlDataReader reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            recorded = !reader.IsDBNull(4);
            Experiment experiment = Experiment.Parser.ParseFrom((byte[])reader[0]);
            var objective = new Objective(new Metric(reader.GetString(2), reader.GetString(1)), (StudyDirection)reader.GetInt32(3));
            if (definition.DifferenceFrom(experiment, objective, recorded ? TrialRows.Record(definition.Name, reader.GetString(4)) : null) is string difference)
            {
                throw new InvalidOperationException($"Study '{definition.Name}' in the {_where} exists with a different definition: {difference}. Load it with the same hparams, metrics, objective and folds, or choose another study name.");
            }
        }

        if (!recorded)
        {
            // A study created by an earlier version gets its definition recorded by the first worker that loads it.
            await using NpgsqlCommand update = Command(connection, transaction, "UPDATE studies SET definition = $2 WHERE name = $1", definition.Name, record);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _loaded.Add(definition);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StudySummary>> GetStudiesAsync(CancellationToken cancellationToken = default) => Guard(() => GetStudiesAsyncCore(cancellationToken));

    private async ValueTask<IReadOnlyList<StudySummary>> GetStudiesAsyncCore(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand select = Command(connection, null, "SELECT name, experiment, objective_group, objective_tag, objective_direction, created, definition FROM studies ORDER BY name");
        await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await TrialRows.ReadStudiesAsync(reader, (row, column) => row.GetFieldValue<DateTimeOffset>(column), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<int> CreateTrialAsync(string study, CancellationToken cancellationToken = default) => Guard(() => CreateTrialAsyncCore(study, cancellationToken));

    private async ValueTask<int> CreateTrialAsyncCore(string study, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand create = Command(
            connection,
            null,
            """
            WITH next AS (UPDATE studies SET next_number = next_number + 1, version = version + 1 WHERE name = $1 RETURNING id, next_number - 1 AS number, version)
            INSERT INTO trials (study_id, number, state, started, heartbeat, version)
            SELECT id, number, 0, clock_timestamp(), clock_timestamp(), version FROM next
            RETURNING number
            """,
            study);
        return await create.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int number
            ? number
            : throw NoStudy(study);
    }

    /// <inheritdoc/>
    public ValueTask<int?> CreateTrialAsync(string study, IReadOnlyDictionary<string, object> hparams, TrialLimits? limits = null, CancellationToken cancellationToken = default) => Guard(() => CreateTrialAsyncCore(study, hparams, limits, cancellationToken));

    private async ValueTask<int?> CreateTrialAsyncCore(string study, IReadOnlyDictionary<string, object> hparams, TrialLimits? limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        string json = HParamsJson.Write(_loaded.Get(study).NormalizeHParams(hparams));
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);

        // One round trip: the study's row lock first, then (a snapshot taken after it) the check
        // that no running, complete or pruned trial has the configuration and that the study is
        // within its limits, the number and the row.
        await using NpgsqlBatch batch = Batch(
            connection,
            (BumpVersion, [study]),
            ($"""
              WITH next AS (
                  UPDATE studies SET next_number = next_number + 1 WHERE name = $1
                  AND NOT EXISTS (SELECT 1 FROM trials taken WHERE taken.study_id = studies.id AND md5(taken.hparams) = md5($2) AND taken.hparams = $2 AND taken.state <> 2)
                  AND {WithinLimits(3, 4)}
                  RETURNING id, next_number - 1 AS number, version)
              INSERT INTO trials (study_id, number, state, hparams, started, heartbeat, version)
              SELECT id, number, 0, $2, clock_timestamp(), clock_timestamp(), version FROM next
              RETURNING number
              """, [study, json, Limit(limits?.MaxTrials), Limit(limits?.MaxCompleteTrials)]));
        await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt32(0) : null; // null: taken
    }

    /// <inheritdoc/>
    public ValueTask<bool> SetTrialHParamsAsync(string study, int number, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default) => Guard(() => SetTrialHParamsAsyncCore(study, number, hparams, cancellationToken));

    private async ValueTask<bool> SetTrialHParamsAsyncCore(string study, int number, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        StudyDefinition definition = _loaded.Get(study);
        string json = HParamsJson.Write(definition.NormalizeHParams(hparams));
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);

        // One round trip. The first statement takes the study's row lock (and its next version);
        // the second, with a snapshot taken after that lock, sees every configuration committed
        // before it: two workers cannot both take one.
        await using NpgsqlBatch batch = Batch(
            connection,
            (BumpVersion, [study]),
            ($"""
              UPDATE trials SET hparams = $3, version = {CurrentVersion}
              WHERE study_id = {StudyId} AND number = $2 AND state = 0 AND hparams IS NULL
                AND NOT EXISTS (SELECT 1 FROM trials taken WHERE taken.study_id = trials.study_id AND md5(taken.hparams) = md5($3) AND taken.hparams = $3 AND taken.state <> 2)
              """, [study, number, json]));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (batch.BatchCommands[1].RecordsAffected == 1)
        {
            return true;
        }

        (TrialState state, bool hasHParams) = await TrialAsync(connection, study, number, cancellationToken).ConfigureAwait(false);
        ThrowIfFinished(state, study, number, "set its hparams");
        return hasHParams
            ? throw new InvalidOperationException($"Trial {number} of study '{study}' already has its hparams; a trial's configuration is set once.")
            : false;
    }

    /// <inheritdoc/>
    public ValueTask ReportAsync(string study, int number, TrialReport report, CancellationToken cancellationToken = default) => Guard(() => ReportAsyncCore(study, number, report, cancellationToken));

    private async ValueTask ReportAsyncCore(string study, int number, TrialReport report, CancellationToken cancellationToken)
    {
        TrialReportRules.Check(study, number, report);
        if (report.IsEmpty)
        {
            return;
        }

        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The study's row first (its next version, and the order every writer locks in), then the
        // trial's, then each fold's last step: one round trip.
        long id;
        TrialState? state = null;
        var lastSteps = new Dictionary<int, long>();
        await using (NpgsqlBatch read = Batch(
            connection,
            ("UPDATE studies SET version = version + 1 WHERE name = $1 RETURNING id", [study]),
            ($"SELECT state FROM trials WHERE study_id = {StudyId} AND number = $2 FOR UPDATE", [study, number]),
            ($"SELECT fold, MAX(step) FROM intermediate_values WHERE study_id = {StudyId} AND number = $2 GROUP BY fold", [study, number])))
        {
            read.Transaction = transaction;
            await using NpgsqlDataReader reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            id = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt64(0) : throw NoStudy(study);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                state = (TrialState)reader.GetInt32(0);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                lastSteps[reader.GetInt32(0)] = reader.GetInt64(1);
            }
        }

        ThrowIfFinished(state ?? throw new InvalidOperationException($"Study '{study}' has no trial {number}."), study, number, "report a value");
        foreach (IntermediateValue first in TrialReportRules.FirstPerFold(report))
        {
            if (lastSteps.TryGetValue(first.Fold, out long previous))
            {
                TrialReportRules.ThrowIfNotAfter(study, number, first, previous);
            }
        }

        var statements = new List<(string Sql, object[] Parameters)>
        {
            // A trial that reports is alive: the report is its heartbeat too.
            ("UPDATE trials SET version = (SELECT version FROM studies WHERE id = $1), heartbeat = clock_timestamp() WHERE study_id = $1 AND number = $2", [id, number]),
        };
        if (report.Values.Count > 0)
        {
            statements.Add((
                "INSERT INTO intermediate_values (study_id, number, fold, step, value) SELECT $1, $2, f, s, v FROM unnest($3::integer[], $4::bigint[], $5::double precision[]) AS u(f, s, v)",
                [id, number, report.Values.Select(v => v.Fold).ToArray(), report.Values.Select(v => v.Step).ToArray(), report.Values.Select(v => v.Value).ToArray()]));
        }

        if (report.FoldValues is not null)
        {
            statements.Add(("UPDATE trials SET fold_values = $3 WHERE study_id = $1 AND number = $2", [id, number, JsonSerializer.Serialize(report.FoldValues)]));
        }

        if (report.UserAttributes.Count > 0)
        {
            statements.Add((
                "INSERT INTO trial_attributes (study_id, number, key, value) SELECT $1, $2, k, v FROM unnest($3::text[], $4::text[]) AS u(k, v) ON CONFLICT (study_id, number, key) DO UPDATE SET value = excluded.value",
                [id, number, report.UserAttributes.Keys.ToArray(), report.UserAttributes.Values.ToArray()]));
        }

        await using (NpgsqlBatch write = Batch(connection, [.. statements]))
        {
            write.Transaction = transaction;
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask HeartbeatAsync(string study, int number, CancellationToken cancellationToken = default) => Guard(() => HeartbeatAsyncCore(study, number, cancellationToken));

    private async ValueTask HeartbeatAsyncCore(string study, int number, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand update = Command(
            connection,
            null,
            "UPDATE trials SET heartbeat = clock_timestamp() FROM studies WHERE studies.name = $1 AND trials.study_id = studies.id AND trials.number = $2 AND trials.state = 0",
            study,
            number);
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<bool> FinishTrialAsync(string study, int number, TrialOutcome outcome, CancellationToken cancellationToken = default) => Guard(() => FinishTrialAsyncCore(study, number, outcome, cancellationToken));

    private async ValueTask<bool> FinishTrialAsyncCore(string study, int number, TrialOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);

        // One round trip; "state = 0" decides between this worker and a sweeper that failed the trial first.
        await using NpgsqlBatch batch = Batch(
            connection,
            (BumpVersion, [study]),
            ($"""
              UPDATE trials SET state = $3, value = $4, fold_values = COALESCE($5, fold_values), error = $6, objective_values = $7, constraint_values = $8, ended = clock_timestamp(), version = {CurrentVersion}
              WHERE study_id = {StudyId} AND number = $2 AND state = 0
              """, [study, number, (int)outcome.State, double.IsNaN(outcome.Value) ? DBNull.Value : outcome.Value, outcome.FoldValues.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(outcome.FoldValues), (object?)outcome.Error ?? DBNull.Value, (object?)TrialRows.ValuesJson(outcome.Values) ?? DBNull.Value, (object?)TrialRows.ValuesJson(outcome.Constraints) ?? DBNull.Value]));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (batch.BatchCommands[1].RecordsAffected == 1)
        {
            return true;
        }

        await TrialAsync(connection, study, number, cancellationToken).ConfigureAwait(false); // throws when there is no such trial
        return false;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<FrozenTrial>> FailStaleTrialsAsync(string study, TimeSpan grace, CancellationToken cancellationToken = default) => Guard(() => FailStaleTrialsAsyncCore(study, grace, cancellationToken));

    private async ValueTask<IReadOnlyList<FrozenTrial>> FailStaleTrialsAsyncCore(string study, TimeSpan grace, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        long id = await StudyIdAsync(connection, study, cancellationToken).ConfigureAwait(false);
        const string Stale = "study_id = $1 AND state = 0 AND heartbeat < clock_timestamp() - $2";
        await using (NpgsqlCommand any = Command(connection, null, $"SELECT EXISTS (SELECT 1 FROM trials WHERE {Stale})", id, grace))
        {
            if (await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                return []; // the usual case, without taking the study's lock
            }
        }

        // A second sweeper waits for the first's study lock, then (a new snapshot) finds the trials
        // failed and skips them: each stale trial is returned once.
        var failed = new HashSet<int>();
        long failedAt;
        await using (NpgsqlBatch batch = Batch(
            connection,
            ("UPDATE studies SET version = version + 1 WHERE id = $1 RETURNING version", [id]), // a result set, so that the reader's second one is the trials
            ($"""
              UPDATE trials SET state = 2, ended = clock_timestamp(), version = (SELECT version FROM studies WHERE id = $1),
                  error = 'worker lost: no heartbeat for ' || to_char(extract(epoch FROM clock_timestamp() - heartbeat), 'FM999999990.0') || ' s (grace ' || $3 || ' s)'
              WHERE {Stale}
              RETURNING number
              """, [id, grace, grace.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)])))
        await using (NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            failedAt = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                failed.Add(reader.GetInt32(0));
            }
        }

        // Only what changed from the failing version on, not the whole study.
        return failed.Count == 0 ? [] : [.. (await ReadTrialsAsync(connection, study, failedAt - 1, cancellationToken).ConfigureAwait(false)).Trials.Where(t => failed.Contains(t.Number))];
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<FrozenTrial>> GetTrialsAsync(string study, CancellationToken cancellationToken = default) => Guard(() => GetTrialsAsyncCore(study, cancellationToken));

    private async ValueTask<IReadOnlyList<FrozenTrial>> GetTrialsAsyncCore(string study, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadTrialsAsync(connection, study, 0, cancellationToken).ConfigureAwait(false)).Trials;
    }

    /// <inheritdoc/>
    public ValueTask<TrialChanges> GetTrialChangesAsync(string study, long since, CancellationToken cancellationToken = default) => Guard(() => GetTrialChangesAsyncCore(study, since, cancellationToken));

    private async ValueTask<TrialChanges> GetTrialChangesAsyncCore(string study, long since, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        return await ReadTrialsAsync(connection, study, since, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask SetStudyAttributeAsync(string study, string key, string value, CancellationToken cancellationToken = default) => Guard(() => SetStudyAttributeAsyncCore(study, key, value, cancellationToken));

    private async ValueTask SetStudyAttributeAsyncCore(string study, string key, string value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        long id = await StudyIdAsync(connection, study, cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand upsert = Command(connection, null, "INSERT INTO study_attributes (study_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (study_id, key) DO UPDATE SET value = excluded.value", id, key, value);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<string, string>> GetStudyAttributesAsync(string study, CancellationToken cancellationToken = default) => Guard(() => GetStudyAttributesAsyncCore(study, cancellationToken));

    private async ValueTask<IReadOnlyDictionary<string, string>> GetStudyAttributesAsyncCore(string study, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        long id = await StudyIdAsync(connection, study, cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand select = Command(connection, null, "SELECT key, value FROM study_attributes WHERE study_id = $1", id);
        await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            attributes[reader.GetString(0)] = reader.GetString(1);
        }

        return attributes;
    }

    /// <inheritdoc/>
    public ValueTask<bool> EnqueueTrialAsync(string study, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default) => Guard(() => EnqueueTrialAsyncCore(study, hparams, cancellationToken));

    private async ValueTask<bool> EnqueueTrialAsyncCore(string study, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        string json = HParamsJson.Write(_loaded.Get(study).NormalizeHParams(hparams));
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);

        // The study's row lock orders enqueues: two workers cannot both queue one configuration.
        await using NpgsqlBatch batch = Batch(
            connection,
            ("SELECT id FROM studies WHERE name = $1 FOR UPDATE", [study]),
            ($"""
              INSERT INTO queued_trials (study_id, hparams)
              SELECT {StudyId}, $2
              WHERE NOT EXISTS (SELECT 1 FROM trials WHERE study_id = {StudyId} AND md5(hparams) = md5($2) AND hparams = $2)
                AND NOT EXISTS (SELECT 1 FROM queued_trials WHERE study_id = {StudyId} AND hparams = $2)
              """, [study, json]));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (batch.BatchCommands[0].RecordsAffected == 0)
        {
            throw NoStudy(study);
        }

        return batch.BatchCommands[1].RecordsAffected == 1;
    }

    /// <inheritdoc/>
    public ValueTask<FrozenTrial?> CreateTrialFromQueueAsync(string study, TrialLimits? limits = null, CancellationToken cancellationToken = default) => Guard(() => CreateTrialFromQueueAsyncCore(study, limits, cancellationToken));

    private async ValueTask<FrozenTrial?> CreateTrialFromQueueAsyncCore(string study, TrialLimits? limits, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (NpgsqlCommand any = Command(connection, null, $"SELECT EXISTS (SELECT 1 FROM queued_trials WHERE study_id = {StudyId})", study))
        {
            if (await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                return null; // the usual case, without the study's lock
            }
        }

        // The study's row first; then the queue's head, skipped while a live trial has its
        // configuration; then the trial, numbered as every other.
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (NpgsqlCommand lockStudy = Command(connection, transaction, $"UPDATE studies SET version = version + 1 WHERE name = $1 AND {WithinLimits(2, 3)}", study, Limit(limits?.MaxTrials), Limit(limits?.MaxCompleteTrials)))
        {
            if (await lockStudy.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return null; // at its limits: the queue waits
            }
        }

        while (true)
        {
            string? json;
            await using (NpgsqlCommand pop = Command(connection, transaction, $"DELETE FROM queued_trials WHERE id = (SELECT id FROM queued_trials WHERE study_id = {StudyId} ORDER BY id LIMIT 1) RETURNING hparams", study))
            {
                json = await pop.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            }

            if (json is null)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }

            await using NpgsqlCommand create = Command(
                connection,
                transaction,
                $"""
                 WITH next AS (
                     UPDATE studies SET next_number = next_number + 1 WHERE name = $1
                     AND NOT EXISTS (SELECT 1 FROM trials taken WHERE taken.study_id = studies.id AND md5(taken.hparams) = md5($2) AND taken.hparams = $2 AND taken.state <> 2)
                     RETURNING id, next_number - 1 AS number, version)
                 INSERT INTO trials (study_id, number, state, hparams, started, heartbeat, version)
                 SELECT id, number, 0, $2, clock_timestamp(), clock_timestamp(), version FROM next
                 RETURNING number, started
                 """,
                study,
                json);
            await using NpgsqlDataReader reader = await create.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                continue; // a live trial has it: dropped from the queue
            }

            (int number, DateTimeOffset started) = (reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1));
            await reader.DisposeAsync().ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return TrialSnapshots.Create(number, HParamsJson.Read(json), TrialState.Running, double.NaN, [], [], started, null, null, null);
        }
    }

    /// <summary>Closes the pool's connections.</summary>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    // Every failure of the server leaves as the storage's own exception, naming host, port and database (PostgresFailures).
    private async ValueTask<T> Guard<T>(Func<ValueTask<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresFailures.Translate(e, _where) is { } failure)
        {
            throw failure;
        }
    }

    private async ValueTask Guard(Func<ValueTask> call) => await Guard(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    }).ConfigureAwait(false);

    private async Task<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        // A failure says why (refused, timed out, authentication) through PostgresFailures; the password is in none.
        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (object parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }

    private InvalidOperationException NoStudy(string study) =>
        new($"There is no study '{study}' in the {_where}; create it first (CreateOrLoadStudyAsync).");

    private async Task<long> StudyIdAsync(NpgsqlConnection connection, string study, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(study);
        await using NpgsqlCommand select = Command(connection, null, "SELECT id FROM studies WHERE name = $1", study);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id ? id : throw NoStudy(study);
    }

    private static void ThrowIfFinished(TrialState state, string study, int number, string what)
    {
        if (state != TrialState.Running)
        {
            throw new InvalidOperationException($"Cannot {what}: trial {number} of study '{study}' is finished ({state}).");
        }
    }

    // Trials changed after version `since` (0: all) and the study's version, in one round trip.
    // The version is read first: every change up to it was committed before (changes take versions
    // under the study's row lock), so the rows read next hold at least those; a row read in a newer
    // state has a newer version and comes again in the next read.
    private async Task<TrialChanges> ReadTrialsAsync(NpgsqlConnection connection, string study, long since, CancellationToken cancellationToken)
    {
        await using NpgsqlBatch batch = Batch(
            connection,
            ("SELECT version, (SELECT count(*) FROM queued_trials q WHERE q.study_id = studies.id)::integer FROM studies WHERE name = $1", [study]),
            ($"SELECT v.number, v.fold, v.step, v.value FROM intermediate_values v JOIN trials t USING (study_id, number) WHERE v.study_id = {StudyId} AND t.version > $2 ORDER BY v.number, v.fold, v.step", [study, since]),
            ($"SELECT a.number, a.key, a.value FROM trial_attributes a JOIN trials t USING (study_id, number) WHERE a.study_id = {StudyId} AND t.version > $2", [study, since]),
            ($"SELECT number, state, hparams, value, fold_values, error, started, ended, objective_values, constraint_values FROM trials WHERE study_id = {StudyId} AND version > $2 ORDER BY number", [study, since]));
        await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw NoStudy(study);
        }

        long version = reader.GetInt64(0);
        int queued = reader.GetInt32(1);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        Dictionary<int, List<IntermediateValue>> intermediate = await TrialRows.ReadIntermediateAsync(reader, cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        Dictionary<int, Dictionary<string, string>> attributes = await TrialRows.ReadAttributesAsync(reader, cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        List<FrozenTrial> trials = await TrialRows.ReadTrialsAsync(reader, intermediate, attributes, (row, column) => row.GetFieldValue<DateTimeOffset>(column), cancellationToken).ConfigureAwait(false);
        return new TrialChanges(trials, version) { QueuedTrials = queued };
    }

    // Statements sent in one round trip; without a transaction they run in one implicit transaction.
    private static NpgsqlBatch Batch(NpgsqlConnection connection, params (string Sql, object[] Parameters)[] statements)
    {
        var batch = new NpgsqlBatch(connection);
        foreach ((string sql, object[] parameters) in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (object parameter in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = parameter });
            }

            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    // Whether a study (the row "studies", locked) may create another trial: parameter `max` the most
    // trials (except those cut short, whose configurations run again), `complete` the most complete and running ones.
    // Counted from the few failed and pruned rows (the index on state), not from every complete one.
    private static string WithinLimits(int max, int complete) => $"""
        (${max}::integer IS NULL OR next_number - 1 - (SELECT count(*) FROM trials c WHERE c.study_id = studies.id AND c.state = 2 AND left(c.error, 11) IN ('worker lost', 'interrupted')) < ${max})
        AND (${complete}::integer IS NULL OR next_number - 1 - (SELECT count(*) FROM trials c WHERE c.study_id = studies.id AND c.state IN (2, 3)) < ${complete})
        """;

    private static object Limit(int? limit) => limit is int value ? value : DBNull.Value;

    // The study's next version, and its lock until the transaction ends: changes are committed in version order.
    private const string BumpVersion = "UPDATE studies SET version = version + 1 WHERE name = $1 RETURNING version"; // a result set, for readers of the batch
    private const string CurrentVersion = "(SELECT version FROM studies WHERE name = $1)";
    private const string StudyId = "(SELECT id FROM studies WHERE name = $1)";

    private async Task<(TrialState State, bool HasHParams)> TrialAsync(NpgsqlConnection connection, string study, int number, CancellationToken cancellationToken)
    {
        long id = await StudyIdAsync(connection, study, cancellationToken).ConfigureAwait(false);
        await using NpgsqlCommand select = Command(connection, null, "SELECT state, hparams IS NOT NULL FROM trials WHERE study_id = $1 AND number = $2", id, number);
        await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? ((TrialState)reader.GetInt32(0), reader.GetBoolean(1))
            : throw new InvalidOperationException($"Study '{study}' has no trial {number}.");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
