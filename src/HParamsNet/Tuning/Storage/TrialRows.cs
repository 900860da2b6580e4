using System.Data.Common;
using System.Text.Json;
using HParamsNet.Sessions;
using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>Reads the SQL stores' rows into snapshots; each store says how it keeps a time.</summary>
internal static class TrialRows
{
    /// <summary>Intermediate values by trial number, from rows (number, fold, step, value) ordered by number, fold and step.</summary>
    public static async Task<Dictionary<int, List<IntermediateValue>>> ReadIntermediateAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var intermediate = new Dictionary<int, List<IntermediateValue>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            int number = reader.GetInt32(0);
            if (!intermediate.TryGetValue(number, out List<IntermediateValue>? points))
            {
                intermediate[number] = points = [];
            }

            points.Add(new IntermediateValue(reader.GetInt32(1), reader.GetInt64(2), reader.GetDouble(3)));
        }

        return intermediate;
    }

    /// <summary>User attributes by trial number, from rows (number, key, value).</summary>
    public static async Task<Dictionary<int, Dictionary<string, string>>> ReadAttributesAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<int, Dictionary<string, string>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            int number = reader.GetInt32(0);
            if (!attributes.TryGetValue(number, out Dictionary<string, string>? mine))
            {
                attributes[number] = mine = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            mine[reader.GetString(1)] = reader.GetString(2);
        }

        return attributes;
    }

    /// <summary>How the SQL stores keep a list of values (every objective's, the constraints'): JSON, or NULL when empty.</summary>
    public static string? ValuesJson(IReadOnlyList<double> values) => values.Count == 0 ? null : JsonSerializer.Serialize(values);

    /// <summary>Snapshots from rows (number, state, hparams, value, fold_values, error, started, ended, objective_values, constraint_values).</summary>
    public static async Task<List<FrozenTrial>> ReadTrialsAsync(
        DbDataReader reader,
        Dictionary<int, List<IntermediateValue>> intermediate,
        Dictionary<int, Dictionary<string, string>> attributes,
        Func<DbDataReader, int, DateTimeOffset> time,
        CancellationToken cancellationToken)
    {
        var trials = new List<FrozenTrial>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            int number = reader.GetInt32(0);
            FrozenTrial trial = TrialSnapshots.Create(
                number,
                reader.IsDBNull(2) ? null : HParamsJson.Read(reader.GetString(2)),
                (TrialState)reader.GetInt32(1),
                reader.IsDBNull(3) ? double.NaN : reader.GetDouble(3),
                intermediate.TryGetValue(number, out List<IntermediateValue>? points) ? TrialSnapshots.ByFold(points) : [],
                reader.IsDBNull(4) ? [] : JsonSerializer.Deserialize<double[]>(reader.GetString(4)) ?? [],
                time(reader, 6),
                reader.IsDBNull(7) ? null : time(reader, 7),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                attributes.GetValueOrDefault(number));
            trials.Add(trial with { Values = Values(reader, 8) ?? trial.Values, Constraints = Values(reader, 9) ?? [] });
        }

        return trials;
    }

    private static double[]? Values(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : JsonSerializer.Deserialize<double[]>(reader.GetString(column));

    /// <summary>Studies from rows (name, experiment, objective_group, objective_tag, objective_direction, created, definition).</summary>
    public static async Task<List<StudySummary>> ReadStudiesAsync(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        var studies = new List<StudySummary>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string name = reader.GetString(0);
            DateTimeOffset created = time(reader, 5);
            StudyRecord? record = reader.IsDBNull(6) ? null : Record(name, reader.GetString(6));
            if (record is not null)
            {
                studies.Add(new StudySummary(name, record.Experiment.CreatedAt(created), record.Objective, created) { Objectives = record.Objectives, Constraints = record.Constraints, Strategy = record.Strategy, Folds = record.Folds });
                continue;
            }

            HParamsExperiment experiment = HParamsExperiment.FromProto(
                Protos.HParams.Experiment.Parser.ParseFrom((byte[])reader[1]),
                created,
                skipped => throw new InvalidDataException($"Study '{name}': the stored experiment's {skipped}. The record was not written by HParamsNet; recreate the study."));
            (string group, string tag) = (reader.GetString(2), reader.GetString(3));
            Metric objective = experiment.Metrics.FirstOrDefault(m => m.Group == group && m.Tag == tag) ?? new Metric(tag, group);
            studies.Add(new StudySummary(name, experiment, new Objective(objective, (StudyDirection)reader.GetInt32(4)), created));
        }

        return studies;
    }

    /// <summary>A study's recorded definition; a damaged one is named.</summary>
    /// <exception cref="InvalidDataException">The text is not a study record.</exception>
    public static StudyRecord Record(string study, string json)
    {
        try
        {
            return StudyRecord.FromJson(json);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"Study '{study}': {e.Message} The storage is damaged or was written by another program.", e);
        }
    }
}
