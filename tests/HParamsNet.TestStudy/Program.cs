// Usage: HParamsNet.TestStudy LOGDIR STEP_MILLISECONDS [cv|plain] [grid|auto] [PARALLELISM]
// A study of 12 trials (a grid of 12 configurations, or the default strategy with MaxTrials 12)
// whose trials report 5 steps each, STEP_MILLISECONDS apart. It prints "start" just before the
// study opens its log directory and "finished N" after each trial, so that a test can kill the
// process at a chosen moment: while the study is being created, or mid-trial.
// Also: HParamsNet.TestStudy sqlite-trials DBFILE COUNT creates COUNT trials of study "shared" in
// a SQLite storage and prints their numbers, for the tests of several processes on one storage.
using System.Globalization;
using HParamsNet;
using HParamsNet.Storage;
using HParamsNet.TestStudy;
using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;

if (args[0] == "sqlite-trials")
{
    await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(args[1]);
    var experiment = new HParamsExperiment([TestStudy.Units], [TestStudy.Accuracy]);
    await storage.CreateOrLoadStudyAsync(new StudyDefinition("shared", experiment, new Objective(TestStudy.Accuracy, StudyDirection.Maximize)));
    for (int i = 0; i < int.Parse(args[2], CultureInfo.InvariantCulture); i++)
    {
        int number = await storage.CreateTrialAsync("shared");
        await storage.SetTrialHParamsAsync("shared", number, new Dictionary<string, object> { ["units"] = 8 });
        await storage.FinishTrialAsync("shared", number, TrialOutcome.Complete(number));
        Console.WriteLine(number);
    }

    return;
}

// HParamsNet.TestStudy worker grid|random STORAGE_URL LOGDIR HEARTBEAT_MS TRIAL_MS [COMPLETE] [FOLDS]:
// one worker of the 12-configuration grid study "grid", or of the random-search study "random"
// (continuous rate: every configuration is new) until it has COMPLETE complete trials, each
// cross-validated on FOLDS folds when given (a session per fold); prints "asked N" when a session
// starts and "told N" when it is stored.
if (args[0] == "worker")
{
    bool gridWorker = args[1] == "grid";
    await using IStudyStorage storage = await StudyStorageUrl.Parse(args[2]).OpenAsync();
    TunerOptions shape = TestStudy.Options(args[3], crossValidate: false);
    await using Study study = await Study.CreateOrLoadAsync(new StudyOptions
    {
        Storage = storage,
        Name = args[1],
        LogDir = args[3],
        Space = shape.Space,
        Objective = shape.Objective,
        Strategy = gridWorker ? new GridSearch() : new RandomSearch(),
        HeartbeatInterval = TimeSpan.FromMilliseconds(int.Parse(args[4], CultureInfo.InvariantCulture)),
        MaxCompleteTrials = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : null,
        CrossValidation = args.Length > 7 ? new CrossValidationOptions(new KFold(int.Parse(args[7], CultureInfo.InvariantCulture)), 30) : null,
    });
    while (await study.AskAsync() is Trial trial)
    {
        Console.WriteLine($"asked {trial.Number}");
        await Task.Delay(int.Parse(args[5], CultureInfo.InvariantCulture));
        await study.TellAsync(trial, TestStudy.Score(trial));
        Console.WriteLine($"told {trial.Number}");
    }

    Console.WriteLine("done");
    return;
}

string logDir = args[0];
int stepMilliseconds = int.Parse(args[1], CultureInfo.InvariantCulture);
bool crossValidate = args.Length > 2 && args[2] == "cv";
bool grid = args.Length <= 3 || args[3] == "grid";
int parallelism = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;

TunerOptions options = TestStudy.Options(logDir, crossValidate) with
{
    Strategy = grid ? new GridSearch() : new AutoSearch(),
    MaxTrials = grid ? null : TestStudy.Trials,
    Parallelism = parallelism,
};
Console.WriteLine("start");
var result = await new Tuner(options).RunAsync(async (trial, cancel) =>
{
    double value = TestStudy.Score(trial);
    for (int step = 1; step <= 5; step++)
    {
        await Task.Delay(stepMilliseconds, cancel);
        trial.Report(value * step / 5, step);
    }

    return value;
});
// Complete trials: a trial cut short by a kill is failed as lost, and its configuration ran again.
Console.WriteLine($"done {result.Trials.Count(t => t.State == HParamsNet.Trials.TrialState.Complete)}");
