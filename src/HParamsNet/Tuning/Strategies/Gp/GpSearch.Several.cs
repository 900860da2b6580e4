using HParamsNet.Trials;

namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// Several objectives (and constraints): a Gaussian process per objective and per constraint, and
/// each proposal maximises the hypervolume improvement of the objectives' lower confidence bounds
/// over the front so far (an optimistic form of expected hypervolume improvement, as SMS-EGO),
/// times the probability that every constraint holds; where the optimistic point adds nothing,
/// its distance to adding something leads the search. The kernels' hyperparameters are fitted per
/// model on the refit schedule of one objective (the memo keeps each), so a proposal mostly costs
/// one factorisation per model.
/// </summary>
public sealed partial class GpSearch
{
    // How far below its mean a model's value is taken to be: the optimism of the lower confidence
    // bound. On the multi-objective suite (3 seeds x 100 trials) 0.2 beat 1.0 and 0.5 on every
    // problem (dtlz2: 0.11 against 0.18 and 0.13); 0 was as good on dtlz2 but never explores.
    private const double Optimism = 0.2;

    // A model per objective and constraint: each refits its kernel when the study has grown by this
    // fraction (three times the one-objective default), so that their fits together cost about one.
    private const double SeveralRefitGrowth = 0.3;

    // With two objectives, one proposal in this many seeks an end of the front. With more, the
    // ends are corners the hypervolume improvement already reaches, and seeking them repeated
    // them (dtlz2: 7 of 100 trials at one corner; 0.101 without, 0.114 with).
    private const int EndEvery = 5;

    private IReadOnlyDictionary<HParam, object>? ProposeForSeveral(StrategyContext context, SpaceEncoding encoding, UnitCube cube)
    {
        var points = new List<double[]>();
        var scored = new List<TrialRanking.Scored>();
        foreach (TrialRanking.Scored trial in TrialRanking.Complete(context))
        {
            if (encoding.Imputed(encoding.Encode(trial.Trial.HParams)) is double[] encoded)
            {
                points.Add(cube.ToUnit(encoded));
                scored.Add(trial);
            }
        }

        int startup = Options.StartupTrials ?? Math.Clamp(2 * cube.GroupCount, 5, 20);
        if (points.Count < startup)
        {
            return encoding.Decode(cube.FromUnit(Startup(cube, context, points)));
        }

        int objectives = context.Objectives.Count;
        Random random = context.Random;

        // One model per objective, on every complete trial (an infeasible trial's objectives are
        // measured all the same); running and failed trials are the worst so far (constant liar).
        var liars = context.Running
            .Concat(context.Trials.Where(t => t.State == TrialState.Failed).Select(t => t.HParams))
            .Select(h => encoding.Imputed(encoding.Encode(h)))
            .OfType<double[]>()
            .Select(cube.ToUnit)
            .ToList();
        double[][] x = [.. points, .. liars];
        var models = new List<GaussianProcess>(objectives);
        var observed = new double[scored.Count][];
        for (int k = 0; k < scored.Count; k++)
        {
            observed[k] = new double[objectives];
        }

        for (int i = 0; i < objectives; i++)
        {
            var losses = scored.Select(s => s.Losses[i]).ToList();
            double[] theta = Hyperparameters(points, losses, cube.Groups, SeveralRefitGrowth);
            double worst = losses.Max();
            double[] y = Standardised([.. losses, .. liars.Select(_ => worst)]);
            if (GaussianProcess.Fit(new GpTrainingSet(x, y, cube.Groups), theta) is not { } gp)
            {
                return _fallback.Propose(context);
            }

            models.Add(gp);
            for (int k = 0; k < scored.Count; k++)
            {
                observed[k][i] = y[k];
            }
        }

        var feasibility = new List<(GaussianProcess Model, double Threshold)>();
        for (int j = 0; j < context.Constraints.Count; j++)
        {
            var values = scored.Select(s => s.Trial.Constraints.Count > j ? s.Trial.Constraints[j] : 0).ToList();
            double[] theta = Hyperparameters(points, values, cube.Groups, SeveralRefitGrowth);
            double mean = values.Average();
            double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
            std = std > 1e-12 ? std : 1;
            if (GaussianProcess.Fit(new GpTrainingSet([.. points], Standardised(values), cube.Groups), theta) is { } gp)
            {
                feasibility.Add((gp, -mean / std)); // c <= 0 where the standardised value is below this
            }
        }

        // The front of the feasible trials in the models' units, and a reference point a tenth of the
        // front's extent beyond its worst point in each objective (the nadir), so that improving the
        // front counts, not only reaching out from it.
        var feasibleIndices = Enumerable.Range(0, scored.Count).Where(k => scored[k].Violation == 0).ToList();
        var frontIndices = Pareto.Front([.. feasibleIndices.Select(k => observed[k])]).Select(f => feasibleIndices[f]).ToList();
        var front = frontIndices.Select(k => observed[k]).ToList();
        var pool = frontIndices.Count > 1 ? frontIndices : Enumerable.Range(0, scored.Count).ToList();
        double[] reference = [.. Enumerable.Range(0, objectives).Select(i =>
        {
            double high = pool.Max(k => observed[k][i]);
            double low = pool.Min(k => observed[k][i]);
            return high + (0.1 * Math.Max(high - low, 1e-3));
        })];

        // Every few proposals one objective alone (with a little of the other, to land on the
        // front): the ends of a two-objective front, which a hypervolume measured from far away
        // values most.
        int? end = objectives == 2 && context.TrialNumber % EndEvery == 0 ? context.TrialNumber / EndEvery % objectives : null;

        SortedFront2D? sorted = objectives == 2 ? new SortedFront2D(front, reference) : null;

        // A configuration tried already scores nothing: its optimistic point sits a little below
        // the front it is on, and without this the search proposed it again and again.
        var tried = new HashSet<double[]>(x, UnitPointComparer.Instance);

        double Score(double[] point)
        {
            if (tried.Contains(point))
            {
                return double.NegativeInfinity;
            }

            var optimistic = new double[objectives];
            for (int i = 0; i < objectives; i++)
            {
                (double mean, double variance) = models[i].Predict(point);
                optimistic[i] = mean - (Optimism * Math.Sqrt(Math.Max(variance, 0)));
            }

            double feasible = 1;
            foreach ((GaussianProcess model, double threshold) in feasibility)
            {
                (double mean, double variance) = model.Predict(point);
                feasible *= Normal.Cdf((threshold - mean) / Math.Sqrt(Math.Max(variance, 1e-12)));
            }

            if (end is int alone)
            {
                return (-optimistic[alone] - (0.01 * optimistic.Sum())) + Math.Log(Math.Max(feasible, 1e-300));
            }

            // What the optimistic point adds to the front; where it adds nothing, how far it is from
            // adding something (so that the search still has a slope to follow).
            double improvement = sorted is not null ? sorted.Improvement(optimistic) : Hypervolume.Improvement(front, optimistic, reference);
            return improvement > 0 ? improvement * feasible : -DistanceToFront(front, optimistic, reference) - (1 - feasible);
        }

        // Steps around the front's ends and a few more of its points (feasible trials; else the least violating).
        var near = new List<double[]>();
        IEnumerable<int> anchors = frontIndices.Count > 0 ? frontIndices : Enumerable.Range(0, scored.Count).OrderBy(k => scored[k].Violation).Take(1);
        var anchorList = anchors.ToList();
        for (int i = 0; i < objectives && frontIndices.Count > 0; i++)
        {
            int at = i;
            near.Add(points[anchorList.MinBy(k => observed[k][at])]);
        }

        int[] others = [.. anchorList];
        random.Shuffle(others);
        near.AddRange(others.Take(Math.Max(0, 5 - near.Count)).Select(k => points[k]));
        IReadOnlyDictionary<HParam, object> proposal = encoding.Decode(cube.FromUnit(MaximiseAcquisition(Score, cube, near, random)));
        if (end is not null && context.IsTaken(proposal))
        {
            // This end is reached already (the same configuration again): improve the front instead.
            end = null;
            proposal = encoding.Decode(cube.FromUnit(MaximiseAcquisition(Score, cube, near, random)));
        }

        return proposal;
    }

    // How much a point must improve in every objective before no point of the front dominates it.
    private static double DistanceToFront(List<double[]> front, double[] point, double[] reference)
    {
        double distance = 0;
        for (int i = 0; i < point.Length; i++)
        {
            distance = Math.Max(distance, point[i] - reference[i]); // beyond the reference point: that far at least
        }

        foreach (double[] q in front)
        {
            double needed = double.PositiveInfinity;
            for (int i = 0; i < point.Length; i++)
            {
                needed = Math.Min(needed, point[i] - q[i]);
            }

            distance = Math.Max(distance, needed);
        }

        return distance;
    }


    // Points of the unit cube equal to the ninth decimal: what tells two configurations apart after
    // snapping. Asked once per candidate, so it compares in place rather than through a text key.
    private sealed class UnitPointComparer : IEqualityComparer<double[]>
    {
        public static readonly UnitPointComparer Instance = new();

        public bool Equals(double[]? a, double[]? b)
        {
            if (a is null || b is null || a.Length != b.Length)
            {
                return ReferenceEquals(a, b);
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (Math.Round(a[i], 9) != Math.Round(b[i], 9))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(double[] point)
        {
            var hash = new HashCode();
            foreach (double v in point)
            {
                hash.Add(Math.Round(v, 9));
            }

            return hash.ToHashCode();
        }
    }
}
