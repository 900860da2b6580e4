#region usings
using HParamsNet;
using HParamsNet.Storage;          // SqliteStudyStorage, PostgresStudyStorage, StudyStorageUrl
using HParamsNet.Trials;           // FrozenTrial
using HParamsNet.Tuning;           // Study, StudyOptions, Trial
#endregion

namespace HParamsNet.DocSamples;

/// <summary>The ask-and-tell guide: your own loop, one study for many workers.</summary>
public static class AskAndTell
{
    private static double Train(int units, double dropout, string optimizer) =>
        0.9 + units / 1000.0 - dropout / 10 + (optimizer == "adam" ? 0.01 : 0);

    public static async Task<FrozenTrial?> RunAsync(string databasePath = "studies.db", string logDir = "logs/digits-mlp")
    {
        var units = new HParam("num_units", new Discrete(16, 32, 64));
        var dropout = new HParam("dropout", new RealInterval(0.0, 0.3));
        var optimizer = new HParam("optimizer", new Discrete("adam", "sgd"));
        var accuracy = new Metric("accuracy");

        #region ask-tell
        // Every process that opens this file with this study name works on the same study.
        await using var storage = await SqliteStudyStorage.OpenAsync(databasePath);
        await using Study study = await Study.CreateOrLoadAsync(new StudyOptions
        {
            Storage = storage,
            Name = "digits-mlp",
            LogDir = logDir,
            Space = [units, dropout, optimizer],
            Objective = new Objective(accuracy, StudyDirection.Maximize),
        });

        // Asked first (Optuna's enqueue_trial): a configuration you already trust.
        await study.EnqueueAsync(new Dictionary<string, object> { ["num_units"] = 32, ["dropout"] = 0.1, ["optimizer"] = "adam" });

        for (int i = 0; i < 20 && await study.AskAsync() is Trial trial; i++)
        {
            double score = Train(trial.Get<int>(units), trial.Get<double>(dropout), trial.Get<string>(optimizer));
            trial.SetUserAttribute("device", "cpu");  // FrozenTrial.UserAttributes, and TensorBoard's Text dashboard
            await study.TellAsync(trial, score);      // or TellPrunedAsync, TellFailedAsync
        }

        FrozenTrial? best = await study.GetBestTrialAsync();
        #endregion

        return best;
    }
}
