using HParamsNet.Trials;
using HParamsNet.Tuning;

namespace HParamsNet.Bench;

/// <summary>The problems of the multi-objective suite (shared/bench/mo-suite.md): known fronts, every objective minimised.</summary>
internal sealed record MoProblem(string Name, IReadOnlyList<HParam> Space, int Objectives, int Constraints, double[] Reference, double TrueHypervolume, Func<Trial, (double[] F, double[] C)> Evaluate)
{
    public static IReadOnlyList<MoProblem> All { get; } = [Zdt1(), Dtlz2(), MixedMo(), Bnh()];

    private static HParam[] Reals(int count) => [.. Enumerable.Range(0, count).Select(i => new HParam($"x{i}", new RealInterval(0, 1)))];

    private static MoProblem Zdt1()
    {
        HParam[] xs = Reals(6);
        return new("zdt1", xs, 2, 0, [11, 11], 121 - (1.0 / 3), trial =>
        {
            double[] x = [.. xs.Select(h => trial.Get<double>(h))];
            double g = 1 + (9 * x.Skip(1).Sum() / 5);
            return ([x[0], g * (1 - Math.Sqrt(x[0] / g))], []);
        });
    }

    private static MoProblem Dtlz2()
    {
        HParam[] xs = Reals(6);
        return new("dtlz2", xs, 3, 0, [1.1, 1.1, 1.1], (1.1 * 1.1 * 1.1) - (Math.PI / 6), trial =>
        {
            double[] x = [.. xs.Select(h => trial.Get<double>(h))];
            double g = x.Skip(2).Sum(v => (v - 0.5) * (v - 0.5));
            double a = x[0] * Math.PI / 2;
            double b = x[1] * Math.PI / 2;
            return ([(1 + g) * Math.Cos(a) * Math.Cos(b), (1 + g) * Math.Cos(a) * Math.Sin(b), (1 + g) * Math.Sin(a)], []);
        });
    }

    // The sampler suite's mixed_mlp (its space and its f) against the model's size.
    private static MoProblem MixedMo()
    {
        SamplerObjective mlp = SamplerObjective.All.Single(o => o.Name == "mixed_mlp");
        HParam units = mlp.Space.Single(h => h.Name == "num_units");
        HParam layers = mlp.Space.Single(h => h.Name == "num_layers");
        return new("mixed_mo", mlp.Space, 2, 0, [3.0, 4.2], 12.033147, trial =>
            ([mlp.Evaluate(trial), trial.Get<double>(units) * trial.Get<double>(layers) / 256], []));
    }

    private static MoProblem Bnh()
    {
        var x1 = new HParam("x1", new RealInterval(0, 5));
        var x2 = new HParam("x2", new RealInterval(0, 3));
        return new("bnh", [x1, x2], 2, 2, [140, 50], 5284.4167, trial =>
        {
            double a = trial.Get<double>(x1);
            double b = trial.Get<double>(x2);
            return (
                [(4 * a * a) + (4 * b * b), ((a - 5) * (a - 5)) + ((b - 5) * (b - 5))],
                [((a - 5) * (a - 5)) + (b * b) - 25, 7.7 - ((a - 8) * (a - 8)) - ((b + 3) * (b + 3))]);
        });
    }

    /// <summary>The hypervolume of the feasible complete trials among the first <paramref name="trials"/>.</summary>
    public double HypervolumeAfter(IReadOnlyList<FrozenTrial> all, int trials) =>
        Hypervolume.Of(all.Where(t => t.Number <= trials && t.State == TrialState.Complete && t.IsFeasible).Select(t => t.Values.ToArray()), Reference);
}
