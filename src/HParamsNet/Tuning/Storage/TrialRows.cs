using System.Data.Common;
using System.Text.Json;
using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>Reads the SQL stores' trial rows into snapshots; each store says how it keeps a time.</summary>
internal static class TrialRows
{
    /// <summary>Intermediate values by trial number, from rows (number, step, value) ordered by number and step.</summary>
    public static async Task<Dictionary<int, List<KeyValuePair<long, double>>>> ReadIntermediateAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var intermediate = new Dictionary<int, List<KeyValuePair<long, double>>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            int number = reader.GetInt32(0);
            if (!intermediate.TryGetValue(number, out List<KeyValuePair<long, double>>? points))
            {
                intermediate[number] = points = [];
            }

            points.Add(KeyValuePair.Create(reader.GetInt64(1), reader.GetDouble(2)));
        }

        return intermediate;
    }

    /// <summary>Snapshots from rows (number, state, hparams, value, fold_values, error, started, ended).</summary>
    public static async Task<List<FrozenTrial>> ReadTrialsAsync(DbDataReader reader, Dictionary<int, List<KeyValuePair<long, double>>> intermediate, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        var trials = new List<FrozenTrial>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            int number = reader.GetInt32(0);
            trials.Add(new FrozenTrial(
                number,
                TrialNames.Trial(number),
                reader.IsDBNull(2) ? new Dictionary<string, object>() : HParamsJson.Read(reader.GetString(2)),
                (TrialState)reader.GetInt32(1),
                reader.IsDBNull(3) ? double.NaN : reader.GetDouble(3),
                intermediate.TryGetValue(number, out List<KeyValuePair<long, double>>? points) ? points : [],
                reader.IsDBNull(4) ? [] : JsonSerializer.Deserialize<double[]>(reader.GetString(4)) ?? [],
                time(reader, 6),
                reader.IsDBNull(7) ? null : time(reader, 7),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return trials;
    }

    /// <summary>Studies from rows (name, experiment, objective_group, objective_tag, objective_direction, created).</summary>
    public static async Task<List<StudySummary>> ReadStudiesAsync(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        var studies = new List<StudySummary>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string name = reader.GetString(0);
            DateTimeOffset created = time(reader, 5);
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
}
