// N worker processes on one study: each opens the storage by URL, joins the study by name, and
// asks for trials until the study has --trials of them (complete, pruned or failed) and none running. Every trial is a
// TensorBoard session in --logdir (one per fold with --folds; --steps intermediate values each,
// judged by --pruner). A worker killed mid-trial is noticed by another after two
// heartbeats: its trial is failed ("worker lost", in TensorBoard too) and its configuration runs
// again; this launcher starts a replacement for a worker that dies, so the study always finishes.
// On several machines, start the same command on each (with --workers for that machine) against
// one PostgreSQL URL and a shared --logdir, or one --logdir per machine (docs/guides/storages.md: "Many machines on one study").
using System.CommandLine;
using HParamsNet.Examples.Distributed;

var storage = new Option<string>("--storage")
{
    Description = $"sqlite:///absolute/path.db or postgresql://user@host:5432/database (default: ${StudySettings.StorageVariable}). Keep a password out of the command line, where `ps` shows it: PGPASSWORD, ~/.pgpass, or the whole URL in ${StudySettings.StorageVariable}.",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable(StudySettings.StorageVariable) ?? string.Empty,
};
var study = new Option<string>("--study") { Description = "The study's name in the storage.", Required = true };
var workers = new Option<int>("--workers") { Description = "Worker processes to start on this machine.", DefaultValueFactory = _ => 4 };
var trials = new Option<int>("--trials") { Description = "Trials the study runs, every worker's: complete, pruned or failed (a trial lost with its worker runs again and does not count).", Required = true };
var logDir = new Option<string>("--logdir") { Description = "The TensorBoard log directory every worker writes into.", Required = true };
var objective = new Option<string>("--objective") { Description = "digits: the TorchSharp MLP on the digits data; branin: a synthetic function that sleeps --trial-ms.", DefaultValueFactory = _ => "branin" };
objective.AcceptOnlyFromAmong("digits", "branin");
var trialMs = new Option<int>("--trial-ms") { Description = "With --objective branin: milliseconds each trial sleeps.", DefaultValueFactory = _ => 0 };
var strategy = new Option<string>("--strategy") { Description = "How configurations are proposed.", DefaultValueFactory = _ => "auto" };
strategy.AcceptOnlyFromAmong("auto", "gp", "tpe", "random", "grid");
var heartbeat = new Option<double>("--heartbeat-s") { Description = "Heartbeat interval in seconds; a trial silent for twice this long is failed as lost.", DefaultValueFactory = _ => 10 };
var seed = new Option<int>("--seed") { Description = "The strategy's seed.", DefaultValueFactory = _ => 0 };
var folds = new Option<int>("--folds") { Description = "Cross-validation folds per trial: each trial is K TensorBoard sessions (trial-NNNN/fold-KK); the synthetic objective adds a small fold-dependent offset. 0: none.", DefaultValueFactory = _ => 0 };
var steps = new Option<int>("--steps") { Description = "Intermediate values each trial (each fold) reports, what a pruner judges; with --trial-ms the trial's time is spread over them.", DefaultValueFactory = _ => 0 };
var pruner = new Option<string>("--pruner") { Description = "none, or median (Optuna's MedianPruner, 5 startup trials): stops trials whose values are worse than the median of complete trials at the same step.", DefaultValueFactory = _ => "none" };
pruner.AcceptOnlyFromAmong("none", "median");
var worker = new Option<int?>("--worker-index") { Description = "Internal: run as worker I (the launcher passes it).", Hidden = true };

var root = new RootCommand("Runs one study in N worker processes sharing a storage; prints the best trial.")
{
    storage, study, workers, trials, logDir, objective, trialMs, strategy, heartbeat, seed, folds, steps, pruner, worker,
};
root.SetAction(async (parse, cancel) =>
{
    var settings = new StudySettings(
        StudySettings.FromEnvironment(parse.GetValue(storage)!),
        parse.GetValue(study)!,
        parse.GetValue(workers),
        parse.GetValue(trials),
        Path.GetFullPath(parse.GetValue(logDir)!),
        parse.GetValue(objective)!,
        parse.GetValue(trialMs),
        parse.GetValue(strategy)!,
        TimeSpan.FromSeconds(parse.GetValue(heartbeat)),
        parse.GetValue(seed),
        parse.GetValue(folds),
        parse.GetValue(steps),
        parse.GetValue(pruner)!);
    if (settings.Check() is string problem)
    {
        Console.Error.WriteLine(problem);
        return 2;
    }

    return parse.GetValue(worker) is int index
        ? await Worker.RunAsync(settings, index, cancel)
        : await Launcher.RunAsync(settings, args, cancel);
});
return await root.Parse(args).InvokeAsync();
