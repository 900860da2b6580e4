#region usings
using HParamsNet;                   // HParam, domains, Metric, Objective
using HParamsNet.Trials;            // TrialValues, FrozenTrial
using HParamsNet.Tuning;            // Tuner, TunerOptions, Study, Trial
using HParamsNet.Tuning.Strategies; // AutoSearch, GpSearch, TpeSearch, GeneticSearch, RandomSearch, GridSearch
#endregion

namespace HParamsNet.DocSamples;

/// <summary>The tuning guide.</summary>
public static class Tuning
{
    // A stand-in for training: the guides' samples compile and run without a data set.
    private static double Score(string trainer, double learningRate, int leaves) =>
        1 - Math.Abs(Math.Log10(learningRate) + 2) / 10 - (trainer == "lightgbm" ? Math.Abs(leaves - 64) / 1000.0 : 0.05);

    public static async Task<StudyResult> RunAsync(string logDir = "logs/my_study")
    {
        #region options
        var learningRate = new HParam("learning_rate", new RealInterval(1e-4, 1e-1) { Log = true });
        var trainer = new HParam("trainer", new Discrete("lightgbm", "sdca"));
        // Conditional: exists only in trials whose trainer is lightgbm.
        var leaves = new HParam("num_leaves", new IntInterval(4, 256) { Log = true }).When("trainer", "lightgbm");

        var options = new TunerOptions
        {
            LogDir = logDir,
            Space = [learningRate, trainer, leaves],
            Objective = new Objective(new Metric("accuracy"), StudyDirection.Maximize),
            Strategy = new AutoSearch(),   // the default: a Gaussian process up to 1,000 trials, then TPE
            MaxTrials = 40,                // and/or Timeout, a CancellationToken
            Parallelism = 2,               // trials at once
        };
        #endregion

        #region run
        StudyResult result = await new Tuner(options).RunAsync(trial =>
        {
            double lr = trial.Get<double>(learningRate);
            int numLeaves = trial.Has("num_leaves") ? trial.Get<int>(leaves) : 0;
            return Score(trial.Get<string>(trainer), lr, numLeaves);
        });

        Console.WriteLine($"Best: {result.BestScore:F4} using {string.Join(", ", result.BestParams)}");
        foreach (ConfigurationResult row in result.Configurations.OrderBy(r => r.Rank).Take(3))
        {
            Console.WriteLine($"#{row.Rank} {row.Trial.Number}: {row.MeanScore:F4}");
        }
        #endregion

        return result;
    }

    public static TunerOptions WithStrategy(TunerOptions options) =>
        #region strategies
        options with
        {
            Strategy = new TpeSearch(),        // or new GpSearch(), new GeneticSearch(), new RandomSearch(), new GridSearch()
        };
        #endregion
}
