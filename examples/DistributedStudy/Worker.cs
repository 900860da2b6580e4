using HParamsNet.Storage;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;
using Microsoft.Extensions.Logging;

namespace HParamsNet.Examples.Distributed;

/// <summary>One worker process: joins the study and runs trials until the study has enough.</summary>
internal static class Worker
{
    public static async Task<int> RunAsync(StudySettings settings, int index, CancellationToken cancellationToken)
    {
        try
        {
            return await RunTrialsAsync(settings, index, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException)
        {
            // A refused study, a storage unreachable, gone or refusing (StudyStorageException is an
            // IOException): the message says what and what to do. The trial this worker ran is
            // failed as lost by another worker, or when the study resumes.
            Console.Error.WriteLine($"worker {index}: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> RunTrialsAsync(StudySettings settings, int index, CancellationToken cancellationToken)
    {
        using ILoggerFactory logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        StudyObjective objective = StudyObjective.Create(settings);
        await using IStudyStorage storage = await StudyStorageUrl.Parse(settings.StorageUrl).OpenAsync(cancellationToken);
        var options = new StudyOptions
        {
            Storage = storage,
            Name = settings.Study,
            Space = objective.Space,
            Objective = objective.Objective,
            LogDir = settings.LogDir,
            Strategy = settings.Strategy == "grid" ? new GridSearch(pointsPerInterval: 16) : settings.CreateStrategy(),
            Seed = settings.Seed,
            HeartbeatInterval = settings.Heartbeat,
            MaxTrials = settings.Trials,
            CrossValidation = settings.CreateCrossValidation(),
            Pruner = settings.CreatePruner(),
            Logger = logging.CreateLogger<Study>(),
        };
        int ran = 0;
        await using Study study = await Study.CreateOrLoadAsync(options, cancellationToken);
        while (await study.AskAsync(cancellationToken) is { } trial)
        {
            ran++;
            double value;
            try
            {
                value = await objective.RunAsync(trial, trial.CancellationToken);
            }
            catch (TrialPrunedException)
            {
                await study.TellPrunedAsync(trial, cancellationToken);
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The objective's failure, not the storage's: recorded, and the worker goes on.
                await study.TellFailedAsync(trial, $"{e.GetType().Name}: {e.Message}", cancellationToken);
                continue;
            }

            await study.TellAsync(trial, value, cancellationToken);
        }

        Console.WriteLine($"worker {index} (pid {Environment.ProcessId}): {ran} {(settings.Folds >= 2 ? "fold sessions" : "trials")}");
        return 0;
    }
}
