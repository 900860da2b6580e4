using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.TestStudy;

/// <summary>The study both the child process and the tests describe.</summary>
public static class TestStudy
{
    public static readonly HParam Units = new("units", new Discrete(8, 16, 32));
    public static readonly HParam Rate = new("rate", new RealInterval(0.001, 0.1) { Log = true });
    public static readonly HParam Optimizer = new("optimizer", new Discrete("adam", "sgd"));
    public static readonly Metric Accuracy = new("accuracy");

    /// <summary>Trials in a finished study: the grid's 12 configurations, or MaxTrials of the default strategy.</summary>
    public const int Trials = 12;

    /// <summary>Folds per trial with cross-validation.</summary>
    public const int Folds = 3;

    public static TunerOptions Options(string logDir, bool crossValidate) => new()
    {
        LogDir = logDir,
        Space = [Units, Rate, Optimizer],
        Objective = new Objective(Accuracy, StudyDirection.Maximize),
        Strategy = new GridSearch(),
        CrossValidation = crossValidate ? new CrossValidationOptions(new KFold(Folds), 30) : null,
        Progress = new Progress<TunerProgress>(p => Console.WriteLine($"finished {p.Finished}")),
    };

    // A fixed score per configuration (and fold), so a rerun gives the same value.
    public static double Score(Trial trial) =>
        (trial.Get<int>("units") / 32.0) + (trial.Get<string>("optimizer") == "adam" ? 0.1 : 0) - trial.Get<double>("rate") + ((trial.Fold?.Index ?? 0) * 0.01);
}
