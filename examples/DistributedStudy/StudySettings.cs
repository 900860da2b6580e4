using HParamsNet.Storage;
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
    int Seed)
{
    /// <summary>What is wrong with the settings, in words, or <see langword="null"/>.</summary>
    public string? Check()
    {
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
            : null;
    }

    public SearchStrategy CreateStrategy() => Strategy switch
    {
        "gp" => new GpSearch(),
        "tpe" => new TpeSearch(),
        "random" => new RandomSearch(),
        "grid" => new GridSearch(),
        _ => new AutoSearch(),
    };
}
