using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using HParamsNet.Protos.HParams;
using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;
using Microsoft.Data.Sqlite;

namespace HParamsNet.Storage;

/// <summary>
/// A study storage in one SQLite file, shared by the processes of one machine: write-ahead
/// logging (readers never wait for the writer), a busy timeout (writers queue instead of
/// failing), and every write that must be atomic in a <c>BEGIN IMMEDIATE</c> transaction, so that
/// trial numbers and stale-trial sweeps are race-free across processes.
/// </summary>
/// <remarks>
/// The schema is created on first use and carries a version: a file written by a newer library
/// is refused with a message naming both versions. Times are UTC ticks from the storage's clock
/// (one machine: one clock for every process).
/// </remarks>
public sealed class SqliteStudyStorage : IStudyStorage
{
    /// <summary>The schema version this library writes and reads.</summary>
    public const int SchemaVersion = 4;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly LoadedStudies _loaded = new();
    private readonly SqliteWriteGate _gate;
    private readonly FileIdentity? _identity;

    private SqliteStudyStorage(string connectionString, string path, TimeProvider time, FileIdentity? identity)
    {
        _connectionString = connectionString;
        _time = time;
        _gate = new SqliteWriteGate(path);
        _identity = identity;
        Path = path;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating if needed) the storage in <paramref name="path"/>.</summary>
    /// <param name="path">The database file; its directory must exist.</param>
    /// <param name="time">The clock of start, end and heartbeat times; the system clock when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="StudyStorageSchemaException">The file holds a schema newer than this library, or is not a study database; the message says which.</exception>
    /// <exception cref="StudyStorageException">The file cannot be opened or created (its type says why); the message names it.</exception>
    public static async Task<SqliteStudyStorage> OpenAsync(string path, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return await OpenAsync(path, time, create: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a storage file that exists (for reading what workers wrote): creates nothing.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="StudyStorageUnavailableException">There is no such file; the message names it.</exception>
    /// <exception cref="StudyStorageSchemaException">The file holds a schema newer than this library, or is not a study database.</exception>
    /// <exception cref="StudyStorageException">It cannot be opened (its type says why).</exception>
    public static Task<SqliteStudyStorage> OpenExistingAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OpenAsync(path, null, create: false, cancellationToken);
    }

    private static async Task<SqliteStudyStorage> OpenAsync(string path, TimeProvider? time, bool create, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        if (!create && !File.Exists(full))
        {
            throw new StudyStorageUnavailableException($"There is no SQLite study storage '{full}'. Check the path (sqlite:// then the absolute path: sqlite:///home/me/study.db); nothing was created.");
        }

        // Only this first connection may create the file: every later one opens what is there, so
        // a file removed under running workers is noticed, never silently made again empty.
        var builder = new SqliteConnectionStringBuilder { DataSource = full, Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 60 };
        try
        {
            await using SqliteConnection connection = await ConnectAsync(builder.ToString(), cancellationToken).ConfigureAwait(false);
            await SqliteSchema.EnsureAsync(connection, full, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SqliteFailures.Translate(e, full) is { } failure)
        {
            throw failure;
        }

        builder.Mode = SqliteOpenMode.ReadWrite;
        builder.Pooling = true;
        return new SqliteStudyStorage(builder.ToString(), full, time ?? TimeProvider.System, FileIdentity.Of(full));
    }

    /// <inheritdoc/>
    public ValueTask CreateOrLoadStudyAsync(StudyDefinition definition, CancellationToken cancellationToken = default) => Guard(() => CreateOrLoadStudyAsyncCore(definition, cancellationToken));

    private async ValueTask CreateOrLoadStudyAsyncCore(StudyDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();
        string record = definition.ToRecord().ToJson();
        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        using SqliteWriteGate.Entered gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        bool found = false;
        bool recorded = false;
        await using (SqliteCommand find = Command(connection, transaction, "SELECT experiment, objective_group, objective_tag, objective_direction, definition FROM studies WHERE name = $name", ("$name", definition.Name)))
        await using (SqliteDataReader reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found = true;
                recorded = !reader.IsDBNull(4);
                Experiment experiment = Experiment.Parser.ParseFrom((byte[])reader[0]);
                var objective = new Objective(new Metric(reader.GetString(2), reader.GetString(1)), (StudyDirection)reader.GetInt32(3));
                if (definition.DifferenceFrom(experiment, objective, recorded ? TrialRows.Record(definition.Name, reader.GetString(4)) : null) is string difference)
                {
                    throw new InvalidOperationException($"Study '{definition.Name}' in '{Path}' exists with a different definition: {difference}. Load it with the same hparams, metrics, objective and folds, or choose another study name.");
                }
            }
        }

        // A study created by an earlier version gets its definition recorded by the first worker that loads it.
        string sql = !found
            ? "INSERT INTO studies (name, experiment, objective_group, objective_tag, objective_direction, next_number, created, definition) VALUES ($name, $experiment, $group, $tag, $direction, 1, $now, $definition)"
            : recorded ? string.Empty : "UPDATE studies SET definition = $definition WHERE name = $name";
        if (sql.Length > 0)
        {
            await using SqliteCommand write = Command(
                connection,
                transaction,
                sql,
                ("$name", definition.Name),
                ("$experiment", definition.Experiment.ToProto(0).ToByteArray()),
                ("$group", definition.Objective.Metric.Group),
                ("$tag", definition.Objective.Metric.Tag),
                ("$direction", (int)definition.Objective.Direction),
                ("$now", Now()),
                ("$definition", record));
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _loaded.Add(definition);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StudySummary>> GetStudiesAsync(CancellationToken cancellationToken = default) => Guard(() => GetStudiesAsyncCore(cancellationToken));

    private async ValueTask<IReadOnlyList<StudySummary>> GetStudiesAsyncCore(CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand select = Command(connection, null, "SELECT name, experiment, objective_group, objective_tag, objective_direction, created, definition FROM studies ORDER BY name");
        await using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await TrialRows.ReadStudiesAsync(reader, (row, column) => new DateTimeOffset(row.GetInt64(column), TimeSpan.Zero), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<int> CreateTrialAsync(string study, CancellationToken cancellationToken = default) => Guard(() => CreateTrialAsyncCore(study, cancellationToken));

    private async ValueTask<int> CreateTrialAsyncCore(string study, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        using SqliteWriteGate.Entered gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        int number = await InsertTrialAsync(connection, transaction, study, null, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return number;
    }

    /// <inheritdoc/>
    public ValueTask<int?> CreateTrialAsync(string study, IReadOnlyDictionary<string, object> hparams, TrialLimits? limits = null, CancellationToken cancellationToken = default) => Guard(() => CreateTrialAsyncCore(study, hparams, limits, cancellationToken));

    private async ValueTask<int?> CreateTrialAsyncCore(string study, IReadOnlyDictionary<string, object> hparams, TrialLimits? limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        string json = HParamsJson.Write(_loaded.Get(study).NormalizeHParams(hparams));
        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        using SqliteWriteGate.Entered gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long id = await StudyIdAsync(connection, transaction, study, cancellationToken).ConfigureAwait(false);
        if (await IsTakenAsync(connection, transaction, id, json, cancellationToken).ConfigureAwait(false)
            || !await AllowsAsync(connection, transaction, id, limits, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        int number = await InsertTrialAsync(connection, transaction, study, json, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return number;
    }

    /// <inheritdoc/>
    public ValueTask<bool> SetTrialHParamsAsync(string study, int number, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default) => Guard(() => SetTrialHParamsAsyncCore(study, number, hparams, cancellationToken));

    private async ValueTask<bool> SetTrialHParamsAsyncCore(string study, int number, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        using SqliteWriteGate.Entered gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        StudyDefinition definition = _loaded.Get(study);
        long id = await StudyIdAsync(connection, transaction, study, cancellationToken).ConfigureAwait(false);
        TrialRow trial = await RunningTrialAsync(connection, transaction, id, study, number, "set its hparams", cancellationToken).ConfigureAwait(false);
        if (trial.HasHParams)
        {
            throw new InvalidOperationException($"Trial {number} of study '{study}' already has its hparams; a trial's configuration is set once.");
        }

        string json = HParamsJson.Write(definition.NormalizeHParams(hparams));

        // The check and the write in one IMMEDIATE transaction: two workers cannot both take a configuration.
        if (await IsTakenAsync(connection, transaction, id, json, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await using (SqliteCommand update = Command(connection, transaction, $"UPDATE trials SET hparams = $hparams, version = {NextVersion} WHERE study_id = $id AND number = $number; {BumpVersion}", ("$hparams", json), ("$id", id), ("$number", number)))
        {
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
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

        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        using SqliteWriteGate.Entered gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long id = await StudyIdAsync(connection, transaction, study, cancellationToken).ConfigureAwait(false);
        await RunningTrialAsync(connection, transaction, id, study, number, "report a value", cancellationToken).ConfigureAwait(false);
        foreach (IntermediateValue first in TrialReportRules.FirstPerFold(report))
        {
            await using SqliteCommand last = Command(connection, transaction, "SELECT MAX(step) FROM intermediate_values WHERE study_id = $id AND number = $number AND fold = $fold", ("$id", id), ("$number", number), ("$fold", first.Fold));
            if (await last.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long previous)
            {
                TrialReportRules.ThrowIfNotAfter(study, number, first, previous);
            }
        }

        await using (SqliteCommand insert = Command(connection, transaction, "INSERT INTO intermediate_values (study_id, number, fold, step, value) VALUES ($id, $number, $fold, $step, $value)", ("$id", id), ("$number", number), ("$fold", 0), ("$step", 0L), ("$value", 0.0)))
        {
            foreach (IntermediateValue value in report.Values)
            {
                insert.Parameters["$fold"].Value = value.Fold;
                insert.Parameters["$step"].Value = value.Step;
                insert.Parameters["$value"].Value = value.Value;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (report.FoldValues is not null)
        {
            await using SqliteCommand folds = Command(connection, transaction, "UPDATE trials SET fold_values = $folds WHERE study_id = $id AND number = $number", ("$folds", JsonSerializer.Serialize(report.FoldValues)), ("$id", id), ("$number", number));
            await folds.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (SqliteCommand upsert = Command(connection, transaction, "INSERT INTO trial_attributes (study_id, number, key, value) VALUES ($id, $number, $key, $value) ON CONFLICT (study_id, number, key) DO UPDATE SET value = excluded.value", ("$id", id), ("$number", number), ("$key", string.Empty), ("$value", string.Empty)))
        {
            foreach ((string key, string value) in report.UserAttributes)
            {
                upsert.Parameters["$key"].Value = key;
                upsert.Parameters["$value"].Value = value;
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        // A trial that reports is alive: the report is its heartbeat too.
        await using (SqliteCommand version = Command(connection, transaction, $"UPDATE trials SET version = {NextVersion}, heartbeat = $now WHERE study_id = $id AND number = $number; {BumpVersion}", ("$id", id), ("$number", number), ("$now", Now())))
        {
            await version.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask HeartbeatAsync(string study, int number, CancellationToken cancellationToken = default) => Guard(() => HeartbeatAsyncCore(study, number, cancellationToken));

    private async ValueTask HeartbeatAsyncCore(string study, int number, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        long id = await StudyIdAsync(connection, null, study, cancellationToken).ConfigureAwait(false);
        using SqliteWriteGate.Entered gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand update = Command(connection, null, "UPDATE trials SET heartbeat = $now WHERE study_id = $id AND number = $number AND state = $running", ("$now", Now()), ("$id", id), ("$number", number), ("$running", (int)TrialState.Running));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<bool> FinishTrialAsync(string study, int number, TrialOutcome outcome, CancellationToken cancellationToken = default) => Guard(() => FinishTrialAsyncCore(study, number, outcome, cancellationToken));

    private async ValueTask<bool> FinishTrialAsyncCore(string study, int number, TrialOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);

        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        using SqliteWriteGate.Entered gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long id = await StudyIdAsync(connection, transaction, study, cancellationToken).ConfigureAwait(false);
        await TrialAsync(connection, transaction, id, study, number, cancellationToken).ConfigureAwait(false);
        int changed;
        await using (SqliteCommand update = Command(
            connection,
            transaction,
            $"UPDATE trials SET state = $state, value = $value, objective_values = $values, constraint_values = $constraints, fold_values = COALESCE($folds, fold_values), error = $error, ended = $now, version = {NextVersion} WHERE study_id = $id AND number = $number AND state = $running",
            ("$state", (int)outcome.State),
            ("$value", double.IsNaN(outcome.Value) ? null : outcome.Value),
            ("$values", TrialRows.ValuesJson(outcome.Values)),
            ("$constraints", TrialRows.ValuesJson(outcome.Constraints)),
            ("$folds", outcome.FoldValues.Count == 0 ? null : JsonSerializer.Serialize(outcome.FoldValues)), // none given: those reported stay
            ("$error", outcome.Error),
            ("$now", Now()),
            ("$id", id),
            ("$number", number),
            ("$running", (int)TrialState.Running)))
        {
            changed = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (changed == 1)
        {
            await BumpVersionAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<FrozenTrial>> FailStaleTrialsAsync(string study, TimeSpan grace, CancellationToken cancellationToken = default) => Guard(() => FailStaleTrialsAsyncCore(study, grace, cancellationToken));

    private async ValueTask<IReadOnlyList<FrozenTrial>> FailStaleTrialsAsyncCore(string study, TimeSpan grace, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        using SqliteWriteGate.Entered gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long id = await StudyIdAsync(connection, transaction, study, cancellationToken).ConfigureAwait(false);
        long now = Now();
        var failed = new List<int>();
        long failedAt = 0;
        await using (SqliteCommand update = Command(
            connection,
            transaction,
            $"UPDATE trials SET state = $failed, ended = $now, version = {NextVersion}, error = 'worker lost: no heartbeat for ' || printf('%.1f', ($now - heartbeat) / 1e7) || ' s (grace ' || $grace || ' s)' WHERE study_id = $id AND state = $running AND heartbeat < $cutoff RETURNING number, version",
            ("$failed", (int)TrialState.Failed),
            ("$now", now),
            ("$grace", grace.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)),
            ("$id", id),
            ("$running", (int)TrialState.Running),
            ("$cutoff", now - grace.Ticks)))
        await using (SqliteDataReader reader = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                failed.Add(reader.GetInt32(0));
                failedAt = reader.GetInt64(1);
            }
        }

        if (failed.Count == 0)
        {
            return []; // nothing written: the transaction ends without a commit
        }

        await BumpVersionAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);

        // Only the trials just failed (they took one version), not the whole study under the write lock.
        IReadOnlyList<FrozenTrial> trials = await ReadTrialsAsync(connection, transaction, id, failedAt - 1, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return [.. trials.Where(t => failed.Contains(t.Number))];
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<FrozenTrial>> GetTrialsAsync(string study, CancellationToken cancellationToken = default) => Guard(() => GetTrialsAsyncCore(study, cancellationToken));

    private async ValueTask<IReadOnlyList<FrozenTrial>> GetTrialsAsyncCore(string study, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteTransaction transaction = connection.BeginTransaction(deferred: true); // a consistent snapshot; readers never block the writer under WAL
        long id = await StudyIdAsync(connection, transaction, study, cancellationToken).ConfigureAwait(false);
        return await ReadTrialsAsync(connection, transaction, id, 0, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<TrialChanges> GetTrialChangesAsync(string study, long since, CancellationToken cancellationToken = default) => Guard(() => GetTrialChangesAsyncCore(study, since, cancellationToken));

    private async ValueTask<TrialChanges> GetTrialChangesAsyncCore(string study, long since, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteTransaction transaction = connection.BeginTransaction(deferred: true);
        long id, version;
        int queued;
        await using (SqliteCommand select = Command(connection, transaction, "SELECT id, version, (SELECT count(*) FROM queued_trials q WHERE q.study_id = studies.id) FROM studies WHERE name = $name", ("$name", study)))
        await using (SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            (id, version, queued) = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2)) : throw NoStudy(study);
        }

        return version <= since
            ? new TrialChanges([], version) { QueuedTrials = queued }
            : new TrialChanges(await ReadTrialsAsync(connection, transaction, id, since, cancellationToken).ConfigureAwait(false), version) { QueuedTrials = queued };
    }

    /// <inheritdoc/>
    public ValueTask SetStudyAttributeAsync(string study, string key, string value, CancellationToken cancellationToken = default) => Guard(() => SetStudyAttributeAsyncCore(study, key, value, cancellationToken));

    private async ValueTask SetStudyAttributeAsyncCore(string study, string key, string value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        long id = await StudyIdAsync(connection, null, study, cancellationToken).ConfigureAwait(false);
        using SqliteWriteGate.Entered gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand upsert = Command(connection, null, "INSERT INTO study_attributes (study_id, key, value) VALUES ($id, $key, $value) ON CONFLICT (study_id, key) DO UPDATE SET value = excluded.value", ("$id", id), ("$key", key), ("$value", value));
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<string, string>> GetStudyAttributesAsync(string study, CancellationToken cancellationToken = default) => Guard(() => GetStudyAttributesAsyncCore(study, cancellationToken));

    private async ValueTask<IReadOnlyDictionary<string, string>> GetStudyAttributesAsyncCore(string study, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        long id = await StudyIdAsync(connection, null, study, cancellationToken).ConfigureAwait(false);
        await using SqliteCommand select = Command(connection, null, "SELECT key, value FROM study_attributes WHERE study_id = $id", ("$id", id));
        await using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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
        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        using SqliteWriteGate.Entered gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        long id = await StudyIdAsync(connection, transaction, study, cancellationToken).ConfigureAwait(false);
        await using (SqliteCommand exists = Command(connection, transaction, "SELECT 1 FROM trials WHERE study_id = $id AND hparams = $hparams UNION ALL SELECT 1 FROM queued_trials WHERE study_id = $id AND hparams = $hparams LIMIT 1", ("$id", id), ("$hparams", json)))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                return false;
            }
        }

        await using (SqliteCommand insert = Command(connection, transaction, "INSERT INTO queued_trials (study_id, hparams) VALUES ($id, $hparams)", ("$id", id), ("$hparams", json)))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public ValueTask<FrozenTrial?> CreateTrialFromQueueAsync(string study, TrialLimits? limits = null, CancellationToken cancellationToken = default) => Guard(() => CreateTrialFromQueueAsyncCore(study, limits, cancellationToken));

    private async ValueTask<FrozenTrial?> CreateTrialFromQueueAsyncCore(string study, TrialLimits? limits, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        long id = await StudyIdAsync(connection, null, study, cancellationToken).ConfigureAwait(false);
        await using (SqliteCommand any = Command(connection, null, "SELECT 1 FROM queued_trials WHERE study_id = $id LIMIT 1", ("$id", id)))
        {
            if (await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                return null; // the usual case, without the write lock
            }
        }

        using SqliteWriteGate.Entered gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await AllowsAsync(connection, transaction, id, limits, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        while (true)
        {
            long queued;
            string json;
            await using (SqliteCommand head = Command(connection, transaction, "SELECT id, hparams FROM queued_trials WHERE study_id = $id ORDER BY id LIMIT 1", ("$id", id)))
            await using (SqliteDataReader reader = await head.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return null;
                }

                (queued, json) = (reader.GetInt64(0), reader.GetString(1));
            }

            await using (SqliteCommand pop = Command(connection, transaction, "DELETE FROM queued_trials WHERE id = $queued", ("$queued", queued)))
            {
                await pop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (await IsTakenAsync(connection, transaction, id, json, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            int number = await InsertTrialAsync(connection, transaction, study, json, cancellationToken).ConfigureAwait(false);
            FrozenTrial created = (await ReadTrialsAsync(connection, transaction, id, 0, cancellationToken, number).ConfigureAwait(false)).Single();
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return created;
        }
    }

    /// <summary>Releases pooled connections to the file.</summary>
    public ValueTask DisposeAsync()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    // Every failure of the file leaves as the storage's own exception, naming the file (SqliteFailures).
    private async ValueTask<T> Guard<T>(Func<ValueTask<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (SqliteFailures.Translate(e, Path) is { } failure)
        {
            throw failure;
        }
    }

    private async ValueTask Guard(Func<ValueTask> call) => await Guard(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    }).ConfigureAwait(false);

    // Each operation first checks that the path still names the file this storage opened.
    private Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_identity is { } opened && FileIdentity.Of(Path) is var now && now != opened)
        {
            throw new StudyStorageReplacedException(now is null
                ? $"SQLite study storage '{Path}' was removed while the study used it: the trials written since are in the removed file only. Stop the workers; restore the file from a copy, or start the study again in a new file and a new log directory. Nothing more is written."
                : $"SQLite study storage '{Path}' was replaced by another file while the study used it: the trials written before are not in the file there now. Stop the workers and put the study's file back; nothing more is written.");
        }

        return ConnectAsync(_connectionString, cancellationToken);
    }

    private static async Task<SqliteConnection> ConnectAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // Under WAL, NORMAL syncs at checkpoints rather than at every commit: a committed trial
        // survives a killed process (the guarantee the study makes); a power cut may lose the last
        // commits but never corrupts the file. busy_timeout lets SQLite wait for another process's
        // write lock in steps of a millisecond or so; without it, Microsoft.Data.Sqlite retries
        // after sleeping far longer, and four processes on one file ran at half the speed of one.
        // Per-connection settings, hence on every open.
        await using SqliteCommand pragma = Command(connection, null, "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 60000");
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    // A change to a trial takes the study's next version in the transaction that makes it (writers
    // are serialised by BEGIN IMMEDIATE, so versions are committed in order and a reader that has
    // seen version v has seen every change up to v).
    private const string NextVersion = "(SELECT version + 1 FROM studies WHERE id = $id)";
    private const string BumpVersion = "UPDATE studies SET version = version + 1 WHERE id = $id;";

    private static async Task BumpVersionAsync(SqliteConnection connection, SqliteTransaction transaction, long id, CancellationToken cancellationToken)
    {
        await using SqliteCommand bump = Command(connection, transaction, BumpVersion, ("$id", id));
        await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private long Now() => _time.GetUtcNow().UtcTicks;

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private async Task<long> StudyIdAsync(SqliteConnection connection, SqliteTransaction? transaction, string study, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(study);
        await using SqliteCommand select = Command(connection, transaction, "SELECT id FROM studies WHERE name = $name", ("$name", study));
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id
            ? id
            : throw NoStudy(study);
    }

    // A new trial: the study's next number and version, in the caller's IMMEDIATE transaction.
    private async Task<int> InsertTrialAsync(SqliteConnection connection, SqliteTransaction transaction, string study, string? hparams, CancellationToken cancellationToken)
    {
        long id, version;
        int number;
        await using (SqliteCommand next = Command(connection, transaction, "UPDATE studies SET next_number = next_number + 1, version = version + 1 WHERE name = $name RETURNING id, next_number - 1, version", ("$name", study)))
        await using (SqliteDataReader reader = await next.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw NoStudy(study);
            }

            (id, number, version) = (reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2));
        }

        long now = Now();
        await using SqliteCommand insert = Command(
            connection,
            transaction,
            "INSERT INTO trials (study_id, number, state, hparams, started, heartbeat, version) VALUES ($id, $number, $running, $hparams, $now, $now, $version)",
            ("$id", id),
            ("$number", number),
            ("$running", (int)TrialState.Running),
            ("$hparams", hparams),
            ("$now", now),
            ("$version", version));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return number;
    }

    // Whether the study may create another trial under the limits, counted in the caller's IMMEDIATE
    // transaction: no other worker creates one between the count and the insert.
    private static async Task<bool> AllowsAsync(SqliteConnection connection, SqliteTransaction transaction, long id, TrialLimits? limits, CancellationToken cancellationToken)
    {
        if (limits is null)
        {
            return true;
        }

        await using SqliteCommand count = Command(
            connection,
            transaction,
            """
            SELECT next_number - 1,
                (SELECT count(*) FROM trials WHERE study_id = $id AND state = 2 AND substr(error, 1, 11) IN ('worker lost', 'interrupted')),
                CASE WHEN $complete THEN (SELECT count(*) FROM trials WHERE study_id = $id AND state IN (2, 3)) ELSE 0 END
            FROM studies WHERE id = $id
            """,
            ("$id", id),
            ("$complete", limits.MaxCompleteTrials is not null));
        await using SqliteDataReader reader = await count.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);

        // Counted from the few failed and pruned rows (the index on state), not from every complete one.
        int trials = reader.GetInt32(0);
        return limits.Allow(trials, reader.GetInt32(1), completeOrRunning: trials - reader.GetInt32(2));
    }

    // Whether a running, complete or pruned trial has this configuration (a failed one's may run again).
    private static async Task<bool> IsTakenAsync(SqliteConnection connection, SqliteTransaction transaction, long id, string json, CancellationToken cancellationToken)
    {
        await using SqliteCommand taken = Command(connection, transaction, "SELECT 1 FROM trials WHERE study_id = $id AND hparams = $hparams AND state <> $failed LIMIT 1", ("$id", id), ("$hparams", json), ("$failed", (int)TrialState.Failed));
        return await taken.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private InvalidOperationException NoStudy(string study) =>
        new($"There is no study '{study}' in '{Path}'; create it first (CreateOrLoadStudyAsync).");

    private static async Task<TrialRow> TrialAsync(SqliteConnection connection, SqliteTransaction? transaction, long id, string study, int number, CancellationToken cancellationToken)
    {
        await using SqliteCommand select = Command(connection, transaction, "SELECT state, hparams IS NOT NULL FROM trials WHERE study_id = $id AND number = $number", ("$id", id), ("$number", number));
        await using SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new TrialRow((TrialState)reader.GetInt32(0), reader.GetBoolean(1))
            : throw new InvalidOperationException($"Study '{study}' has no trial {number}.");
    }

    private static async Task<TrialRow> RunningTrialAsync(SqliteConnection connection, SqliteTransaction? transaction, long id, string study, int number, string what, CancellationToken cancellationToken)
    {
        TrialRow trial = await TrialAsync(connection, transaction, id, study, number, cancellationToken).ConfigureAwait(false);
        return trial.State == TrialState.Running
            ? trial
            : throw new InvalidOperationException($"Cannot {what}: trial {number} of study '{study}' is finished ({trial.State}).");
    }

    // Trials changed after version `since` (0: all), with their intermediate values and attributes; one trial when `only` is given.
    private static async Task<IReadOnlyList<FrozenTrial>> ReadTrialsAsync(SqliteConnection connection, SqliteTransaction? transaction, long id, long since, CancellationToken cancellationToken, int? only = null)
    {
        string which = only is null ? "t.version > $since" : "t.number = $only";
        Dictionary<int, List<IntermediateValue>> intermediate;
        await using (var values = Command(
            connection,
            transaction,
            $"SELECT v.number, v.fold, v.step, v.value FROM intermediate_values v JOIN trials t ON t.study_id = v.study_id AND t.number = v.number WHERE v.study_id = $id AND {which} ORDER BY v.number, v.fold, v.step",
            ("$id", id),
            ("$since", since),
            ("$only", only ?? 0)))
        await using (SqliteDataReader reader = await values.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            intermediate = await TrialRows.ReadIntermediateAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        Dictionary<int, Dictionary<string, string>> attributes;
        await using (var select = Command(
            connection,
            transaction,
            $"SELECT a.number, a.key, a.value FROM trial_attributes a JOIN trials t ON t.study_id = a.study_id AND t.number = a.number WHERE a.study_id = $id AND {which}",
            ("$id", id),
            ("$since", since),
            ("$only", only ?? 0)))
        await using (SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            attributes = await TrialRows.ReadAttributesAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        await using (var select = Command(connection, transaction, $"SELECT number, state, hparams, value, fold_values, error, started, ended, objective_values, constraint_values FROM trials t WHERE study_id = $id AND {which} ORDER BY number", ("$id", id), ("$since", since), ("$only", only ?? 0)))
        await using (SqliteDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            return await TrialRows.ReadTrialsAsync(reader, intermediate, attributes, (row, column) => new DateTimeOffset(row.GetInt64(column), TimeSpan.Zero), cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed record TrialRow(TrialState State, bool HasHParams);
}
