#region usings
using HParamsNet;
using HParamsNet.Trials;
using HParamsNet.Tuning;
#endregion

namespace HParamsNet.DocSamples;

/// <summary>The several-objectives guide.</summary>
public static class MultiObjective
{
    public static async Task<StudyResult> RunAsync(string logDir = "logs/tradeoff")
    {
        var learningRate = new HParam("learning_rate", new RealInterval(1e-4, 1e-1) { Log = true });
        var units = new HParam("units", new IntInterval(8, 512) { Log = true });

        #region objectives
        var accuracy = new Metric("accuracy");
        var size = new Metric("size_mb");
        var overBudget = new Metric("memory_over_budget"); // feasible when <= 0

        var options = new TunerOptions
        {
            LogDir = logDir,
            Space = [learningRate, units],
            Objectives = [new Objective(accuracy, StudyDirection.Maximize), new Objective(size, StudyDirection.Minimize)],
            Constraints = [overBudget],
            MaxTrials = 60,
        };

        StudyResult result = await new Tuner(options).RunAsync(trial =>
        {
            int width = trial.Get<int>(units);
            double acc = 1 - 1.0 / width - Math.Abs(Math.Log10(trial.Get<double>(learningRate)) + 2) / 20;
            double sizeMb = width * 0.05, memoryMb = width * 2.0;
            // One value per objective, in order; the constraints among the other metrics.
            return new TrialValues([acc, sizeMb], new Dictionary<Metric, double> { [overBudget] = memoryMb - 512 });
        });

        foreach (FrozenTrial t in result.ParetoFront)
        {
            Console.WriteLine($"trial {t.Number}: accuracy {t.Values[0]:F4}, size {t.Values[1]:F2} MB");
        }
        #endregion

        return result;
    }
}
