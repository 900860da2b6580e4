using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// Reads a study's trials back from its log directory, the study's only record when it has no
/// other storage: a trial per <c>trial-NNNN</c> run (its folds' sessions with cross-validation),
/// finished when its sessions say so; a trial whose process died comes back Running, with the
/// folds it finished and what it reported, so that the study fails it as lost and runs its
/// configuration again.
/// </summary>
internal static class LogDirectoryTrials
{
    /// <summary>The trials, by number; runs that are not a trial of this study are refused.</summary>
    /// <param name="logDir">The log directory.</param>
    /// <param name="definition">The study (its objective, hparams and folds).</param>
    /// <param name="moveAside">Takes a run that has no session start out of TensorBoard's sight (a process killed during its first write left it).</param>
    /// <exception cref="InvalidOperationException">A run is not a trial of this study; the message names it.</exception>
    public static IReadOnlyList<FrozenTrial> Read(string logDir, StudyDefinition definition, Action<string> moveAside)
    {
        int? folds = definition.Folds;
        var sessions = HParamsLogReader.ReadSessions(logDir).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var byTrial = new SortedDictionary<int, List<(int? Fold, SessionRecord Session)>>();
        foreach (RunDirectory run in LogDirectory.FindRuns(logDir).Where(r => r.Name != "."))
        {
            if (!TrialNames.TryParse(run.Name, out int number, out int? fold, out bool isSubRun) || (fold is null) != (folds is null))
            {
                throw new InvalidOperationException($"'{logDir}' holds run '{run.Name}', which is not a trial of this study ({(folds is null ? "trial-NNNN" : "trial-NNNN/fold-KK")}). Move it out of the log directory, or use a new one.");
            }

            if (isSubRun)
            {
                continue; // a metric group's run: it belongs to its session
            }

            if (!sessions.TryGetValue(run.Name, out SessionRecord? session))
            {
                moveAside(run.Name); // no start: nothing TensorBoard could show, and no configuration to run again
                byTrial.TryAdd(number, []);
                continue;
            }

            if (!byTrial.TryGetValue(number, out List<(int? Fold, SessionRecord Session)>? list))
            {
                byTrial[number] = list = [];
            }

            list.Add((fold, session));
        }

        return [.. byTrial.Select(pair => Freeze(pair.Key, [.. pair.Value.OrderBy(s => s.Fold)], definition))];
    }

    // A trial from its sessions: finished when every fold finished or one failed or was pruned (a
    // failed or pruned fold ends its trial); otherwise its process died: Running.
    private static FrozenTrial Freeze(int number, IReadOnlyList<(int? Fold, SessionRecord Session)> sessions, StudyDefinition definition)
    {
        Metric metric = definition.Objective.Metric;
        if (sessions.Count == 0)
        {
            return TrialSnapshots.Create(number, null, TrialState.Running, double.NaN, [], [], DateTimeOffset.UnixEpoch, null, null, null);
        }

        var byFold = new List<IReadOnlyList<KeyValuePair<long, double>>>();
        var foldValues = new List<double>();
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        TrialState state = TrialState.Complete;
        string? error = null;
        foreach ((int? fold, SessionRecord session) in sessions)
        {
            TrialState sessionState = StateOf(session);
            var curve = (session.Scalars.TryGetValue((metric.Group, metric.Tag), out IReadOnlyList<ScalarPoint>? points) ? points : [])
                .Select(p => KeyValuePair.Create(p.Step, p.Value)).ToList();
            if (sessionState == TrialState.Complete && curve.Count > 0)
            {
                curve.RemoveAt(curve.Count - 1); // the final value, written after the reports
            }

            while (byFold.Count < (fold ?? 0))
            {
                byFold.Add([]);
            }

            byFold.Add(curve);
            foreach ((string tag, string text) in session.Texts.Where(t => t.Key.StartsWith(TrialSession.UserAttributePrefix, StringComparison.Ordinal)))
            {
                attributes[tag[TrialSession.UserAttributePrefix.Length..]] = text;
            }

            if (sessionState == TrialState.Complete && state == TrialState.Complete && (fold ?? 0) == foldValues.Count)
            {
                foldValues.Add(session.Last(metric.Group, metric.Tag)?.Value ?? double.NaN);
                continue;
            }

            if (state == TrialState.Complete)
            {
                state = sessionState;
                error = sessionState == TrialState.Failed ? ErrorOf(session) : null;
            }
        }

        bool allFolds = definition.Folds is not int k || foldValues.Count == k;
        if (state == TrialState.Complete && !allFolds)
        {
            state = TrialState.Running; // folds missing: its process died between two folds
        }

        double value = state == TrialState.Complete ? foldValues.Average() : double.NaN;
        SessionRecord first = sessions[0].Session;
        DateTimeOffset started = UnixTime.FromSecondsOrEpoch(sessions.Min(s => s.Session.StartTime));
        FrozenTrial trial = TrialSnapshots.Create(
            number,
            first.HParams,
            state,
            value,
            byFold,
            definition.Folds is null ? [] : foldValues,
            started,
            state == TrialState.Running ? null : UnixTime.FromSecondsOrEpoch(sessions.Max(s => s.Session.EndTime)),
            error,
            attributes);
        return state == TrialState.Complete && (definition.Objectives.Count > 1 || definition.Constraints.Count > 0)
            ? trial with
            {
                Values = [.. definition.Objectives.Select(o => FinalMean(sessions, o.Metric))],
                Constraints = [.. definition.Constraints.Select(c => FinalMean(sessions, c))],
            }
            : trial;
    }

    // A metric's final value as the trial gave it: the mean of its folds' (each session's last).
    private static double FinalMean(IReadOnlyList<(int? Fold, SessionRecord Session)> sessions, Metric metric) =>
        sessions.Average(s => s.Session.Last(metric.Group, metric.Tag)?.Value ?? double.NaN);

    // A session without an end is one its process died in.
    private static TrialState StateOf(SessionRecord session) => !session.HasEnd ? TrialState.Running : session.Status switch
    {
        SessionStatus.Success => TrialState.Complete,
        SessionStatus.Failure => TrialState.Failed,
        _ when session.IsPruned => TrialState.Pruned,
        _ => TrialState.Failed,
    };

    private static string ErrorOf(SessionRecord session)
    {
        string? text = session.Texts.GetValueOrDefault(TrialSession.StatusTextTag);
        return text is not null && text.StartsWith("failed: ", StringComparison.Ordinal) ? text["failed: ".Length..] : text ?? "the session ended FAILURE";
    }
}
