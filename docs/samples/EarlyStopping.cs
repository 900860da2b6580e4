#region usings
using HParamsNet;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Pruners;
#endregion

namespace HParamsNet.DocSamples;

/// <summary>The early-stopping guide.</summary>
public static class EarlyStopping
{
    public static async Task<StudyResult> RunAsync(string logDir = "logs/pruned")
    {
        var learningRate = new HParam("learning_rate", new RealInterval(1e-4, 1) { Log = true });

        #region prune
        var options = new TunerOptions
        {
            LogDir = logDir,
            Space = [learningRate],
            Objective = new Objective(new Metric("loss"), StudyDirection.Minimize),
            Pruner = new MedianPruner(startupTrials: 5, warmupSteps: 2), // or SuccessiveHalvingPruner, HyperbandPruner
            MaxTrials = 30,
        };

        StudyResult result = await new Tuner(options).RunAsync(trial =>
        {
            double lr = trial.Get<double>(learningRate), loss = 1.0;
            for (int epoch = 1; epoch <= 20; epoch++)
            {
                loss *= 1 - Math.Min(0.5, lr * 5) + Math.Max(0, lr - 0.1); // one epoch of training
                trial.Report(loss, epoch);                                  // the intermediate value the pruner judges
                if (trial.ShouldPrune)
                {
                    throw new TrialPrunedException();                       // UNKNOWN in TensorBoard, "pruned at step N"
                }
            }

            return loss;
        });
        #endregion

        return result;
    }
}
