using HParamsNet;
using HParamsNet.Tuning;

namespace HParamsNet.DocSamples;

/// <summary>The README's example, compiled: a test checks that the README shows these lines.</summary>
public static class Readme
{
    // Stands for the reader's training code.
    private static double TrainAndScore(double learningRate, int units) => 0.9 + units / 1000.0 - Math.Abs(Math.Log10(learningRate) + 2) / 100;

    public static async Task<HParamsNet.Tuning.StudyResult> RunAsync()
    {
        #region readme
var lr = new HParam("learning_rate", new RealInterval(1e-4, 1e-1) { Log = true });
var units = new HParam("num_units", new Discrete(16, 32, 64));
var options = new TunerOptions
{
    LogDir = "logs/my_study",                      // a TensorBoard log directory, one session per trial
    Space = [lr, units],
    Objective = new Objective(new Metric("accuracy"), StudyDirection.Maximize),
    MaxTrials = 30,                                // Bayesian optimisation by default
};
StudyResult result = await new Tuner(options).RunAsync(trial =>
    TrainAndScore(trial.Get<double>(lr), trial.Get<int>(units)));   // your training; returns accuracy
Console.WriteLine($"Best {result.BestScore} with {string.Join(", ", result.BestParams)}");
        #endregion
        return result;
    }
}
