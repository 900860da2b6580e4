using HParamsNet.Tuning;

namespace HParamsNet.Bench;

/// <summary>The objectives of the sampler suite (shared/bench/sampler-suite.md): known minima, all minimised.</summary>
internal sealed record SamplerObjective(string Name, IReadOnlyList<HParam> Space, double Minimum, Func<Trial, double> Evaluate)
{
    public static IReadOnlyList<SamplerObjective> All { get; } = [Branin(), Hartmann6(), Rosenbrock4(), MixedMlp()];

    private static SamplerObjective Branin()
    {
        var x1 = new HParam("x1", new RealInterval(-5, 10));
        var x2 = new HParam("x2", new RealInterval(0, 15));
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        return new("branin", [x1, x2], 0.397887, trial =>
        {
            double a1 = trial.Get<double>(x1);
            double a2 = trial.Get<double>(x2);
            double inner = a2 - (b * a1 * a1) + (c * a1) - 6;
            return (inner * inner) + (10 * (1 - t) * Math.Cos(a1)) + 10;
        });
    }

    private static SamplerObjective Hartmann6()
    {
        double[] alpha = [1.0, 1.2, 3.0, 3.2];
        double[,] a = { { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 } };
        double[,] p =
        {
            { .1312, .1696, .5569, .0124, .8283, .5886 }, { .2329, .4135, .8307, .3736, .1004, .9991 },
            { .2348, .1451, .3522, .2883, .3047, .6650 }, { .4047, .8828, .8732, .5743, .1091, .0381 },
        };
        HParam[] xs = Enumerable.Range(0, 6).Select(j => new HParam($"x{j}", new RealInterval(0, 1))).ToArray();
        return new("hartmann6", xs, -3.32237, trial =>
        {
            double[] x = xs.Select(h => trial.Get<double>(h)).ToArray();
            double f = 0;
            for (int i = 0; i < 4; i++)
            {
                double s = 0;
                for (int j = 0; j < 6; j++)
                {
                    s += a[i, j] * (x[j] - p[i, j]) * (x[j] - p[i, j]);
                }

                f -= alpha[i] * Math.Exp(-s);
            }

            return f;
        });
    }

    private static SamplerObjective Rosenbrock4()
    {
        HParam[] xs = Enumerable.Range(0, 4).Select(i => new HParam($"x{i}", new RealInterval(-2, 2))).ToArray();
        return new("rosenbrock4", xs, 0, trial =>
        {
            double[] x = xs.Select(h => trial.Get<double>(h)).ToArray();
            double f = 0;
            for (int i = 0; i < 3; i++)
            {
                f += (100 * Math.Pow(x[i + 1] - (x[i] * x[i]), 2)) + Math.Pow(1 - x[i], 2);
            }

            return f;
        });
    }

    private static SamplerObjective MixedMlp()
    {
        var lr = new HParam("learning_rate", new RealInterval(1e-4, 1) { Log = true });
        var units = new HParam("num_units", new Discrete(16, 32, 64, 128, 256));
        var layers = new HParam("num_layers", new IntInterval(1, 4));
        var optimizer = new HParam("optimizer", new Discrete("adam", "sgd", "rmsprop"));
        var dropout = new HParam("dropout", new RealInterval(0, 0.5));
        var center = new Dictionary<string, double> { ["adam"] = -3, ["sgd"] = -1.5, ["rmsprop"] = -2.5 };
        var offset = new Dictionary<string, double> { ["adam"] = 0, ["sgd"] = 0.1, ["rmsprop"] = 0.05 };
        return new("mixed_mlp", [lr, units, layers, optimizer, dropout], 0.05075, trial =>
        {
            string opt = trial.Get<string>(optimizer);
            return Math.Pow(Math.Log10(trial.Get<double>(lr)) - center[opt], 2)
                + (0.3 * Math.Pow(Math.Log2(trial.Get<double>(units)) - 6.5, 2) / 4)
                + (0.2 * Math.Pow(trial.Get<double>(layers) - 2.6, 2))
                + (2 * Math.Pow(trial.Get<double>(dropout) - 0.18, 2))
                + offset[opt];
        });
    }
}
