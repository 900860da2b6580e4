using HParamsNet.Trials;

namespace HParamsNet.Reports.Rendering;

/// <summary>
/// What the page draws for a study with several objectives, per source: the trials on the Pareto
/// front (complete, feasible, not dominated) and the hypervolume of the front by trial number, to a
/// reference point a tenth of each objective's range beyond its worst feasible value.
/// </summary>
/// <param name="Front">The numbers of the trials on the front.</param>
/// <param name="Hypervolume">(trial number, hypervolume of the front of the trials up to it), at up to <see cref="MaxPoints"/> trials.</param>
/// <param name="Reference">The reference point, in the objectives' own units.</param>
internal sealed record FrontData(IReadOnlyList<int> Front, IReadOnlyList<double[]> Hypervolume, IReadOnlyList<double> Reference)
{
    /// <summary>Trials at which the hypervolume is computed at most (evenly spread, the last always): each is an exact hypervolume of the front so far.</summary>
    public const int MaxPoints = 200;

    public static FrontData? From(IReadOnlyList<ReportTrial> trials, IReadOnlyList<Objective> objectives)
    {
        if (objectives.Count < 2)
        {
            return null;
        }

        // Losses (minimised) of the candidates, in trial order.
        var candidates = trials.Where(t => t.IsOnFrontCandidate).OrderBy(t => t.Number).ToList();
        double[][] losses = [.. candidates.Select(t => objectives.Select((o, i) => o.Direction == StudyDirection.Minimize ? t.Values[i]!.Value : -t.Values[i]!.Value).ToArray())];
        if (candidates.Count == 0)
        {
            return new FrontData([], [], []);
        }

        double[] reference = [.. Enumerable.Range(0, objectives.Count).Select(i =>
        {
            double high = losses.Max(l => l[i]);
            double low = losses.Min(l => l[i]);
            return high + (0.1 * Math.Max(high - low, Math.Abs(high) * 1e-6 + 1e-12));
        })];

        // The front so far, kept as trials come, and its hypervolume at evenly spread trials.
        int last = trials.Max(t => t.Number);
        int every = Math.Max(1, (int)Math.Ceiling(last / (double)MaxPoints));
        var front = new List<int>(); // indices into candidates
        var hypervolume = new List<double[]>();
        int next = 0;
        for (int number = 1; number <= last; number++)
        {
            while (next < candidates.Count && candidates[next].Number == number)
            {
                double[] point = losses[next];
                if (!front.Any(f => Pareto.Dominates(losses[f], point)))
                {
                    front.RemoveAll(f => Pareto.Dominates(point, losses[f]));
                    front.Add(next);
                }

                next++;
            }

            if (number % every == 0 || number == last)
            {
                hypervolume.Add([number, Trials.Hypervolume.Of(front.Select(f => losses[f]), reference)]);
            }
        }

        // Back in the objectives' own units for the page.
        double[] shown = [.. reference.Select((r, i) => objectives[i].Direction == StudyDirection.Minimize ? r : -r)];
        return new FrontData([.. front.Select(f => candidates[f].Number).Order()], hypervolume, shown);
    }
}
