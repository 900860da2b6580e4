using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.Trials;
using Microsoft.Extensions.Logging;

namespace HParamsNet.Tuning;

/// <summary>
/// Sessions of earlier studies' log directories (ours or TensorFlow's) read as prior trials the
/// strategy sees: a group whose hparams fit this space is one trial, complete when every session
/// reported the objective and none failed; the others are skipped and counted.
/// </summary>
internal static class WarmStartTrials
{
    public static List<FrozenTrial> Read(IReadOnlyList<string> logDirs, IReadOnlyList<HParam> space, Objective objective, ILogger logger)
    {
        var experiment = new HParamsExperiment(space, [objective.Metric]);
        var prior = new List<FrozenTrial>();
        Metric metric = objective.Metric;
        foreach (string logDir in logDirs)
        {
            int skipped = 0;
            int before = prior.Count;
            foreach (IGrouping<string, SessionRecord> group in HParamsLogReader.ReadSessions(logDir).GroupBy(s => s.GroupName))
            {
                SessionRecord first = group.First();
                var known = first.HParams.Where(p => space.Any(h => h.Name == p.Key)).ToDictionary();
                try
                {
                    experiment.Resolve(known);
                }
                catch (ArgumentException)
                {
                    skipped++;
                    continue;
                }

                if (space.Any(h => !first.HParams.ContainsKey(h.Name) && ConditionalSpace.IsActiveIn(h, first.HParams)))
                {
                    skipped++;
                    continue;
                }

                var values = group.Select(s => s.Last(metric.Group, metric.Tag)?.Value).ToList();
                bool complete = values.All(v => v is not null) && group.All(s => s.Status is SessionStatus.Success or SessionStatus.Unknown);
                prior.Add(new FrozenTrial(
                    0,
                    group.Key,
                    known,
                    complete ? TrialState.Complete : TrialState.Failed,
                    complete ? values.Average(v => v!.Value) : double.NaN,
                    [],
                    [],
                    UnixTime.FromSecondsOrEpoch(first.StartTime),
                    UnixTime.FromSecondsOrEpoch(group.Max(s => s.EndTime)),
                    null));
            }

            TunerLog.WarmStart(logger, prior.Count - before, logDir, skipped);
        }

        return prior;
    }
}
