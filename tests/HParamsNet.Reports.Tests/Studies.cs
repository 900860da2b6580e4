using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Pruners;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Reports.Tests;

/// <summary>Real tuner runs with synthetic objectives: every state a report draws, in a second.</summary>
internal static class Studies
{
    public static readonly HParam LearningRate = new("lr", new RealInterval(1e-4, 1e-1) { Log = true });
    public static readonly HParam Units = new("units", new IntInterval(8, 128));
    public static readonly HParam Optimizer = new("optimizer", new Discrete("adam", "rmsprop", "sgd"));
    public static readonly Metric Loss = new("loss", "validation");

    /// <summary>Random search with a median pruner: complete, pruned and failed trials, each with a loss curve.</summary>
    public static Task<StudyResult> PrunedAndFailedAsync(string logDir, int trials = 40) =>
        new Tuner(new TunerOptions
        {
            LogDir = logDir,
            Space = [LearningRate, Units, Optimizer],
            Objective = new Objective(Loss, StudyDirection.Minimize),
            Strategy = new RandomSearch(),
            Pruner = new MedianPruner(startupTrials: 5, warmupSteps: 1),
            MaxTrials = trials,
            Seed = 7,
        }).RunAsync(trial =>
        {
            double lr = trial.Get<double>("lr");
            int units = trial.Get<int>("units");
            string optimizer = trial.Get<string>("optimizer");
            if (optimizer == "sgd" && units < 24)
            {
                throw new InvalidOperationException("diverged: loss became NaN");
            }

            double floor = Math.Pow(Math.Log10(lr) + 2.5, 2) + (64.0 / units) + (optimizer == "adam" ? 0 : 0.3);
            double loss = 0;
            for (int step = 1; step <= 6; step++)
            {
                loss = floor + (3.0 / step);
                trial.Report(loss, step);
                if (trial.ShouldPrune)
                {
                    throw new TrialPrunedException();
                }
            }

            return loss;
        });

    /// <summary>Grid search with 3-fold cross-validation: per-fold values, mean and std.</summary>
    public static Task<StudyResult> CrossValidatedAsync(string logDir) =>
        new Tuner(new TunerOptions
        {
            LogDir = logDir,
            Space = [new HParam("units", new Discrete(8, 16, 32)), new HParam("optimizer", new Discrete("adam", "sgd"))],
            Objective = new Objective(new Metric("accuracy"), StudyDirection.Maximize),
            Strategy = new GridSearch(),
            CrossValidation = new CrossValidationOptions(new KFold(3), 9),
        }).RunAsync(trial => (trial.Get<int>("units") / 32.0) + (trial.Get<string>("optimizer") == "adam" ? 0.1 : 0) + (0.01 * trial.Fold!.Index));

    public static readonly Metric Error = new("error");
    public static readonly Metric Size = new("size");
    public static readonly Metric OverBudget = new("over_budget");

    /// <summary>Objectives of <see cref="SeveralObjectivesAsync"/>: error and size, both minimised; a third (latency) when asked.</summary>
    public static Objective[] Objectives(int count) =>
        [.. new[] { new Objective(Error, StudyDirection.Minimize), new Objective(Size, StudyDirection.Minimize), new Objective(new Metric("latency"), StudyDirection.Minimize) }.Take(count)];

    /// <summary>A trade-off of two or three objectives with a constraint (over budget when units > 100), tuned by the GP.</summary>
    public static Task<StudyResult> SeveralObjectivesAsync(string logDir, int objectives = 2, int trials = 40) =>
        new Tuner(new TunerOptions
        {
            LogDir = logDir,
            Space = [LearningRate, Units],
            Objectives = Objectives(objectives),
            Constraints = [OverBudget],
            MaxTrials = trials,
            Seed = 4,
        }).RunAsync(trial =>
        {
            double lr = Math.Log10(trial.Get<double>(LearningRate));
            double units = trial.Get<int>(Units);
            double[] values = [Math.Pow(lr + 2.5, 2) + (10 / units), units / 128.0, (units / 64.0) + Math.Abs(lr + 3)];
            return new TrialValues(values.Take(objectives).ToArray(), new Dictionary<Metric, double> { [OverBudget] = units - 100 });
        });
}
