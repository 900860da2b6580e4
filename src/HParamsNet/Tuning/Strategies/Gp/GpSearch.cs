using HParamsNet.Trials;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// Bayesian optimisation with a Gaussian process: inputs in the unit cube (log scale where the
/// domain asks for it; strings and bools one-hot with one shared length scale per hparam), targets
/// standardised, a Matérn-5/2 ARD kernel plus noise whose hyperparameters maximise the marginal
/// likelihood under weak priors (L-BFGS from a fixed start, so proposals depend on the trials only),
/// and the next point by log expected improvement: quasi-random candidates and points near the best
/// trials, refined coordinate by coordinate (integer, ordinal and categorical coordinates moved on
/// their own grids). Quasi-random (Halton) start; running trials count as the worst result so far
/// (constant liar), and so do failed trials, so that a failing region does not attract the search.
/// </summary>
/// <remarks>
/// The model costs O(n³) in the trials used. Past <see cref="GpOptions.MaxTrainingPoints"/> it is
/// conditioned on the best half of that many trials and a random half of the rest; its kernel
/// hyperparameters, the costly part (some 25 factorisations), are fitted on at most
/// <see cref="FitPoints"/> trials chosen the same way, and only when the study has grown by
/// <see cref="GpOptions.RefitGrowth"/> since the last fit. Every input of a proposal is the seed
/// and the trials, so a fresh instance (a joining worker, a resumed study) proposes what a
/// long-lived one does.
/// </remarks>
public sealed partial class GpSearch : SearchStrategy
{
    /// <summary>Trials the kernel hyperparameters are fitted on at most (conditioning may use more).</summary>
    internal const int FitPoints = 100;

    /// <summary>The scales (in the unit cube) of the candidates drawn around each of the best trials: 12 coarse, 6 fine, 6 finer.</summary>
    private static readonly double[] LocalSteps = [.. Enumerable.Repeat(0.05, 12), .. Enumerable.Repeat(0.01, 6), .. Enumerable.Repeat(0.002, 6)];

    private readonly RandomSearch _fallback = new();
    private readonly HyperparameterMemo _fits = new(); // fits are pure: a memo, not state that changes proposals
    private SpaceEncoding? _encoding; // a cache of what the space determines: not state that changes proposals

    /// <summary>Creates the strategy.</summary>
    /// <param name="options">Options; the defaults when <see langword="null"/>.</param>
    public GpSearch(GpOptions? options = null)
    {
        Options = options ?? new GpOptions();
        Options.Validate();
    }

    /// <summary>The options.</summary>
    public GpOptions Options { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<HParam, object>? Propose(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SpaceEncoding encoding = SpaceEncoding.Of(context.Space, ref _encoding);
        var cube = new UnitCube(encoding);
        if (context.Objectives.Count > 1)
        {
            return ProposeForSeveral(context, encoding, cube);
        }

        var points = new List<double[]>();
        var losses = new List<double>();
        foreach (FrozenTrial trial in context.Trials)
        {
            if (trial.State == TrialState.Complete && !double.IsNaN(trial.Value) && trial.IsFeasible && encoding.Imputed(encoding.Encode(trial.HParams)) is double[] encoded)
            {
                points.Add(cube.ToUnit(encoded));
                losses.Add(context.Objective.Direction == StudyDirection.Minimize ? trial.Value : -trial.Value);
            }
        }

        int startup = Options.StartupTrials ?? Math.Clamp(2 * cube.GroupCount, 5, 20);
        if (points.Count < startup)
        {
            return encoding.Decode(cube.FromUnit(Startup(cube, context, points)));
        }

        double[] theta = Hyperparameters(points, losses, cube.Groups);
        Subsample(points, losses, Options.MaxTrainingPoints, context.Random);
        double worst = losses.Max();
        int observed = points.Count;

        // Running trials (constant liar: parallel workers then propose different points), failed
        // ones (so a configuration that fails does not attract the search) and infeasible ones (so
        // a constraint's region is left) count as the worst so far.
        IEnumerable<IReadOnlyDictionary<string, object>> liars = context.Running
            .Concat(context.Trials.Where(t => t.State == TrialState.Failed || (t.State == TrialState.Complete && !t.IsFeasible)).Select(t => t.HParams));
        foreach (IReadOnlyDictionary<string, object> liar in liars)
        {
            if (encoding.Imputed(encoding.Encode(liar)) is double[] encoded)
            {
                points.Add(cube.ToUnit(encoded));
                losses.Add(worst);
            }
        }

        double[][] x = [.. points];
        double[] y = Standardised(losses);
        GaussianProcess? gp = GaussianProcess.Fit(new GpTrainingSet(x, y, cube.Groups), theta);
        if (gp is null)
        {
            // Even with jitter the kernel matrix is not positive definite: propose at random rather than stall.
            return _fallback.Propose(context);
        }

        double best = y.Take(observed).Min();
        double[] proposal = MaximiseAcquisition(
            point => { (double m, double v) = gp.Predict(point); return LogExpectedImprovement.Compute(m, Math.Sqrt(v), best); },
            cube,
            Enumerable.Range(0, y.Length).OrderBy(i => y[i]).Take(5).Select(i => x[i]),
            context.Random);
        return encoding.Decode(cube.FromUnit(proposal));
    }

    /// <summary>
    /// The kernel hyperparameters for these observations (completed trials in number order): those
    /// fitted on the first m of them, m the last refit point at or below their count
    /// (<see cref="RefitPoint"/>). Between refit points only the conditioning, one factorisation,
    /// sees the new trials. The fit is a function of those m observations alone; the memo only
    /// saves recomputing it, and is checked against them before it is used.
    /// </summary>
    private double[] Hyperparameters(List<double[]> points, List<double> losses, int[] groups, double? growth = null)
    {
        int m = RefitPoint(points.Count, growth ?? Options.RefitGrowth);
        if (_fits.Find(points, losses, m) is { } known)
        {
            return known;
        }

        var fitPoints = points.Take(m).ToList();
        var fitLosses = losses.Take(m).ToList();
        Subsample(fitPoints, fitLosses, Math.Min(FitPoints, Options.MaxTrainingPoints), new Random(m));
        double[] theta = FitHyperparameters(new GpTrainingSet([.. fitPoints], Standardised(fitLosses), groups));
        _fits.Add(points, losses, m, theta);
        return theta;
    }

    /// <summary>The last refit point at or below <paramref name="count"/>: 1, 2, 3, ..., each one <paramref name="growth"/> above the one before (at least 1).</summary>
    internal static int RefitPoint(int count, double growth)
    {
        int point = 1;
        while (true)
        {
            int next = point + Math.Max(1, (int)(point * growth));
            if (next > count)
            {
                return Math.Min(point, count);
            }

            point = next;
        }
    }

    private static double[] Standardised(List<double> losses)
    {
        double mean = losses.Average();
        double std = Math.Sqrt(losses.Average(l => (l - mean) * (l - mean)));
        std = std > 1e-12 ? std : 1;
        return losses.Select(l => (l - mean) / std).ToArray();
    }

    internal double[] FitHyperparameters(GpTrainingSet data)
    {
        int groupCount = data.GroupCount;
        var defaultTheta = new double[groupCount + 2];
        Array.Fill(defaultTheta, Math.Log(0.5), 0, groupCount);
        defaultTheta[groupCount] = 0;                // s² = 1 (standardised targets)
        defaultTheta[groupCount + 1] = Math.Log(1e-3);
        // Always the same start: a proposal is a function of the seed and the trials only, so a
        // resumed study, or a reused instance, proposes what a fresh one would.
        // The evaluations are capped as well as the iterations: a line search that struggles (flat
        // or noisy likelihoods, common with hundreds of random trials) took up to five per
        // iteration. Past the cap the function reports itself flat at the best value found, which
        // the minimiser takes for convergence.
        int budget = Options.MaxLikelihoodIterations * 5 / 2;
        int evaluations = 0;
        double bestValue = double.PositiveInfinity;
        double[] best = defaultTheta;
        var flat = Vector<double>.Build.Dense(defaultTheta.Length);
        IObjectiveFunction objective = ObjectiveFunction.Gradient(v =>
        {
            if (++evaluations > budget)
            {
                return (bestValue, flat);
            }

            double[] theta = Clamp(v.ToArray());
            (double value, double[] gradient) = GaussianProcess.NegativeLogPosterior(data, theta);
            if (value < bestValue)
            {
                (bestValue, best) = (value, theta);
            }

            return (double.IsFinite(value) ? value : 1e10, Vector<double>.Build.DenseOfArray(gradient));
        });
        try
        {
            var minimizer = new LimitedMemoryBfgsMinimizer(1e-5, 1e-6, 1e-7, memory: 7, maximumIterations: Options.MaxLikelihoodIterations);
            minimizer.FindMinimum(objective, Vector<double>.Build.DenseOfArray(defaultTheta));
        }
        catch (Exception e) when (e is MaximumIterationsException or OptimizationException or ArgumentException)
        {
            // Not converged, or a line search failed: the best point reached is kept all the same.
        }

        // No evaluable posterior at all (every matrix failed to factor): the default hyperparameters.
        return best;
    }

    private static double[] Clamp(double[] theta)
    {
        for (int i = 0; i < theta.Length - 2; i++)
        {
            theta[i] = Math.Clamp(theta[i], Math.Log(1e-3), Math.Log(30));
        }

        theta[^2] = Math.Clamp(theta[^2], Math.Log(1e-3), Math.Log(100));
        theta[^1] = Math.Clamp(theta[^1], Math.Log(GaussianProcess.MinNoise), Math.Log(1));
        return theta;
    }

    // The candidate with the highest score: quasi-random ones, and steps around the given best points, refined.
    private double[] MaximiseAcquisition(Func<double[], double> Score, UnitCube cube, IEnumerable<double[]> bestPoints, Random random)
    {
        var global = new List<double[]>(Options.Candidates);
        var shift = Enumerable.Range(0, cube.Columns).Select(_ => random.NextDouble()).ToArray();
        for (int i = 0; i < Options.Candidates; i++)
        {
            global.Add(cube.Snap(Halton.Point(i + 1, cube.Columns, shift)));
        }

        // Near the best trials: Gaussian steps around each of the five best points, most at one
        // scale and the rest finer, so that a narrow valley (rosenbrock4) or the last digits near a
        // face are reached by a candidate rather than only by the coordinate refinement below.
        var local = new List<double[]>(5 * LocalSteps.Length);
        foreach (double[] near in bestPoints)
        {
            foreach (double scale in LocalSteps)
            {
                local.Add(cube.Snap(near.Select(v => Math.Clamp(v + (scale * Normal.Gaussian(random)), 0, 1)).ToArray()));
            }
        }

        // Refine the two best of each kind: near-best candidates alone would keep the search in the
        // basin it knows (hartmann6's local minimum), quasi-random ones alone would not polish.
        var scored = global.Select(c => (Point: c, Score: Score(c))).OrderByDescending(c => c.Score).Take(2)
            .Concat(local.Select(c => (Point: c, Score: Score(c))).OrderByDescending(c => c.Score).Take(2))
            .OrderByDescending(c => c.Score)
            .ToList();
        (double[] Point, double Score) winner = scored[0];
        foreach ((double[] start, double startScore) in scored)
        {
            (double[] refined, double refinedScore) = cube.Refine(start, startScore, Score);
            if (refinedScore > winner.Score)
            {
                winner = (refined, refinedScore);
            }
        }

        return winner.Point;
    }

    private static double[] Startup(UnitCube cube, StrategyContext context, List<double[]> points)
    {
        // A Halton sequence shifted by the first trial's point, so that seeds differ.
        if (points.Count == 0)
        {
            return cube.Snap(Enumerable.Range(0, cube.Columns).Select(_ => context.Random.NextDouble()).ToArray());
        }

        return cube.Snap(Halton.Point(context.TrialNumber, cube.Columns, points[0]));
    }

    private static void Subsample(List<double[]> points, List<double> losses, int max, Random random)
    {
        if (points.Count <= max)
        {
            return;
        }

        var order = Enumerable.Range(0, points.Count).OrderBy(i => losses[i]).ToList();
        var keep = order.Take(max / 2).ToList();
        var rest = order.Skip(max / 2).ToArray();
        random.Shuffle(rest);
        keep.AddRange(rest.Take(max - keep.Count));
        var keptPoints = keep.Select(i => points[i]).ToList();
        var keptLosses = keep.Select(i => losses[i]).ToList();
        points.Clear();
        points.AddRange(keptPoints);
        losses.Clear();
        losses.AddRange(keptLosses);
    }
}
