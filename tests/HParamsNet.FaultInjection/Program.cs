// Fault injection for HParamsNet (docs/reliability.md):
//   dotnet run -c Release --project tests/HParamsNet.FaultInjection -- kill [--sweeps 100] [--seed 1]
//   dotnet run -c Release --project tests/HParamsNet.FaultInjection -- fuzz [--files 10000] [--seed 1]
//   dotnet run -c Release --project tests/HParamsNet.FaultInjection -- workers [--kills 20] [--storage URL] [--seed 1]
// Each prints its counts as a Markdown table and exits 1 when any count that must be 0 is not.
using System.CommandLine;
using System.Globalization;
using HParamsNet.FaultInjection;

var seed = new Option<int>("--seed") { Description = "Seeds kill times and mutations.", DefaultValueFactory = _ => 1 };
var sweeps = new Option<int>("--sweeps") { Description = "Kill sweeps (new studies killed 1-4 times each).", DefaultValueFactory = _ => 100 };
var files = new Option<int>("--files") { Description = "Mutated event files.", DefaultValueFactory = _ => 10_000 };

var kill = new Command("kill", "kill -9 at random times over studies in child processes, then resume and check each.") { sweeps, seed };
kill.SetAction(async (parse, cancel) =>
{
    string root = Scratch("kill");
    DateTime started = DateTime.UtcNow;
    KillReport report = await KillSweeps.RunAsync(new KillSweepOptions(parse.GetValue(sweeps), parse.GetValue(seed), root, Console.Out), cancel);
    Console.WriteLine();
    Console.WriteLine($"| date (UTC) | sweeps | kills | within 200 ms of creation | lost | duplicated | folds retrained | unexplained groups | dangling | wedged | finished files changed | validate errors | not resumable | lost attempts shown | folds carried | minutes |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {started:yyyy-MM-dd HH:mm} | {report.Sweeps} | {report.Kills} | {report.EarlyKills} | {report.Lost} | {report.Duplicated} | {report.Retrained} | {report.Unexplained} | {report.Dangling} | {report.Wedged} | {report.Modified} | {report.ValidationErrors} | {report.NotResumable} | {report.LostAttempts} | {report.CarriedFolds} | {(DateTime.UtcNow - started).TotalMinutes:F1} |"));
    report.Failures.ForEach(Console.WriteLine);
    return report.Clean ? 0 : 1;
});

var kills = new Option<int>("--kills") { Description = "kill -9s of a worker in the middle of a trial.", DefaultValueFactory = _ => 20 };
var storage = new Option<string?>("--storage") { Description = "The shared study's storage URL; a new SQLite file when omitted." };
var folds = new Option<int>("--folds") { Description = "Cross-validation folds per trial (a TensorBoard session each); 0 for none.", DefaultValueFactory = _ => 0 };
var workers = new Command("workers", "kill -9 of one of four workers of a shared study, mid-trial, again and again; then check the storage and TensorBoard.") { kills, storage, seed, folds };
workers.SetAction(async (parse, cancel) =>
{
    string root = Scratch("workers");
    DateTime started = DateTime.UtcNow;
    string url = parse.GetValue(storage) ?? $"sqlite://{Path.Combine(root, "study.db")}";
    string logDir = Path.Combine(root, "logs");
    WorkerKillReport report = await WorkerKills.RunAsync(new WorkerKillOptions(parse.GetValue(kills), url, logDir, parse.GetValue(seed), Log: Console.Out, Folds: parse.GetValue(folds)), cancel);
    Console.WriteLine();
    Console.WriteLine("| date (UTC) | storage | folds | kills | trials | lost with their worker | reached the count | numbers reused or skipped | left running | other failures | lost, not run again | configurations complete twice | sessions missing, doubled or without an end | wrong session status | folds carried | minutes |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {started:yyyy-MM-dd HH:mm} | {HParamsNet.Storage.StudyStorageUrl.Parse(url).Kind} | {parse.GetValue(folds)} | {report.Kills} | {report.Trials} | {report.LostTrials} | {(report.ReachedCount ? "yes" : "no")} | {report.BadNumbers} | {report.LeftRunning} | {report.OtherFailures} | {report.NotRunAgain} | {report.CompletedTwice} | {report.BadSessions} | {report.WrongStatus} | {report.CarriedFolds} | {(DateTime.UtcNow - started).TotalMinutes:F1} |"));
    report.Failures.ForEach(Console.WriteLine);
    Console.WriteLine($"Log directory (for the TensorBoard oracle): {logDir}");
    return report.Clean ? 0 : 1;
});

var fuzz = new Command("fuzz", "Mutated event files through every public reader and every CLI command.") { files, seed };
fuzz.SetAction(async (parse, cancel) =>
{
    string root = Scratch("fuzz");
    DateTime started = DateTime.UtcNow;
    FuzzReport report = await Fuzzer.RunAsync(new FuzzOptions(parse.GetValue(files), parse.GetValue(seed), root, Console.Out), cancel);
    Directory.Delete(root, recursive: true);
    Console.WriteLine();
    Console.WriteLine("| date (UTC) | mutated files | reader and CLI calls | damage reported | resumes refused with a message | unexpected exceptions | hangs | minutes |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {started:yyyy-MM-dd HH:mm} | {report.Files} | {report.Calls} | {report.Reported} | {report.RefusedResumes} | {report.Unexpected} | {report.Hangs} | {(DateTime.UtcNow - started).TotalMinutes:F1} |"));
    Console.WriteLine();
    Console.WriteLine("Mutations: " + string.Join(", ", report.ByMutation.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")));
    return report.Unexpected + report.Hangs == 0 ? 0 : 1;
});

return await new RootCommand("HParamsNet fault injection: kill sweeps, worker kills and a fuzz run.") { kill, workers, fuzz }.Parse(args).InvokeAsync();

// On tmpfs when there is one: thousands of small writes, nothing worth keeping.
static string Scratch(string name)
{
    string root = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "hparamsnet-faults", name + "-" + Guid.NewGuid().ToString("N")[..8]);
    Directory.CreateDirectory(root);
    return root;
}
