using HParamsNet.Storage;
using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Pruners;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Examples.Distributed;

/// <summary>The command line, read: the same in the launcher and in every worker it starts.</summary>
internal sealed record StudySettings(
    string StorageUrl,
    string Study,
    int Workers,
    int Trials,
    string LogDir,
    string Objective,
    int TrialMs,
    string Strategy,
    TimeSpan Heartbeat,
    int Seed,
    int Folds,
    int Steps,
    string Pruner)
{
    /// <summary>The environment variable that may hold the storage URL (a password there is not shown by `ps`).</summary>
    public const string StorageVariable = "HPARAMSNET_STORAGE_URL";

    /// <summary>What the launcher passes its workers for --storage: the URL itself goes in <see cref="StorageVariable"/>.</summary>
    public const string FromVariable = "env:" + StorageVariable;

    /// <summary>The storage URL: as given, or from <see cref="StorageVariable"/> when the launcher said so.</summary>
    public static string FromEnvironment(string given) =>
        given == FromVariable ? Environment.GetEnvironmentVariable(StorageVariable) ?? string.Empty : given;

    /// <summary>What is wrong with the settings, in words, or <see langword="null"/>.</summary>
    public string? Check()
    {
        if (StorageUrl.Length == 0)
        {
            return $"--storage: give the storage URL (sqlite:///abs/path.db, postgresql://user@host:5432/db), or set {StorageVariable}.";
        }

        try
        {
            _ = StudyStorageUrl.Parse(StorageUrl);
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }

        return Workers < 1 ? $"--workers {Workers}: give at least 1."
            : Trials < 1 ? $"--trials {Trials}: give at least 1."
            : TrialMs < 0 ? $"--trial-ms {TrialMs}: give 0 or more."
            : Heartbeat <= TimeSpan.Zero ? "--heartbeat-s: give a positive number of seconds."
            : Folds is < 0 or 1 ? $"--folds {Folds}: give 2 or more folds per trial, or 0 for none."
            : Steps < 0 ? $"--steps {Steps}: give 0 or more intermediate values per trial."
            : Pruner == "median" && Steps == 0 ? "--pruner median judges intermediate values: give --steps too."
            : null;
    }

    public Pruner CreatePruner() => Pruner == "median" ? new MedianPruner(startupTrials: 5) : new NoPruner();

    /// <summary>The folds of every trial: the synthetic objectives have no rows of their own, so a fold is only its index.</summary>
    public CrossValidationOptions? CreateCrossValidation() => Folds >= 2 ? new CrossValidationOptions(new KFold(Folds), Rows: Folds) : null;

    public SearchStrategy CreateStrategy() => Strategy switch
    {
        "gp" => new GpSearch(),
        "tpe" => new TpeSearch(),
        "random" => new RandomSearch(),
        "grid" => new GridSearch(),
        _ => new AutoSearch(),
    };
}
