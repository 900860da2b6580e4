using System.Diagnostics;
using System.Globalization;
using HParamsNet.Sessions;
using HParamsNet.Storage;
using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;

namespace HParamsNet.FaultInjection;

/// <summary>How to kill workers of one shared study.</summary>
/// <param name="Kills">kill -9s, each of a worker in the middle of a trial, each followed by a replacement worker.</param>
/// <param name="StorageUrl">The study's storage (sqlite:///... or postgresql://...).</param>
/// <param name="LogDir">The study's TensorBoard log directory.</param>
/// <param name="Seed">Seeds which worker is killed and when.</param>
/// <param name="Workers">Workers running at once.</param>
/// <param name="Trials">Complete trials the study needs.</param>
/// <param name="TrialMilliseconds">How long each trial takes.</param>
/// <param name="HeartbeatMilliseconds">The heartbeat interval; a trial silent for twice this long is failed as lost.</param>
/// <param name="Log">Receives a line per kill.</param>
/// <param name="Folds">Cross-validation folds per trial (a session each); 0 for none.</param>
public sealed record WorkerKillOptions(int Kills, string StorageUrl, string LogDir, int Seed, int Workers = 4, int Trials = 400, int TrialMilliseconds = 60, int HeartbeatMilliseconds = 250, TextWriter? Log = null, int Folds = 0);

/// <summary>What a run of worker kills found; every count but the first three should be 0, and the study should reach its count.</summary>
public sealed record WorkerKillReport
{
    public int Kills { get; set; }

    public int Trials { get; set; }

    /// <summary>Trials failed as "worker lost" (a kill that came just after a tell loses none).</summary>
    public int LostTrials { get; set; }

    public bool ReachedCount { get; set; }

    /// <summary>Trial numbers used twice, or skipped.</summary>
    public int BadNumbers { get; set; }

    public int LeftRunning { get; set; }

    /// <summary>Failed trials that are not a lost worker's.</summary>
    public int OtherFailures { get; set; }

    /// <summary>Lost trials whose configuration did not run again to completion.</summary>
    public int NotRunAgain { get; set; }

    /// <summary>Trials whose TensorBoard session has no end, or is missing, or is there twice.</summary>
    public int BadSessions { get; set; }

    /// <summary>Sessions whose status is not the trial's (SUCCESS for complete, FAILURE for lost).</summary>
    public int WrongStatus { get; set; }

    /// <summary>Configurations that completed twice.</summary>
    public int CompletedTwice { get; set; }

    /// <summary>Folds a lost trial finished that the trial running its configuration again carried over (not trained again).</summary>
    public int CarriedFolds { get; set; }

    public List<string> Failures { get; } = [];

    public bool Clean => ReachedCount && BadNumbers + LeftRunning + OtherFailures + NotRunAgain + BadSessions + WrongStatus + CompletedTwice == 0;
}

/// <summary>
/// kill -9 of one of several worker processes of one study, mid-trial, again and again, each time
/// starting a replacement (what "resume is start the workers again" means); then the study is
/// checked in the storage and in its TensorBoard log directory.
/// </summary>
public static class WorkerKills
{
    public static async Task<WorkerKillReport> RunAsync(WorkerKillOptions options, CancellationToken cancellationToken = default)
    {
        var random = new Random(options.Seed);
        var report = new WorkerKillReport();
        var workers = new List<Worker>();
        for (int i = 0; i < options.Workers; i++)
        {
            workers.Add(Worker.Start(options));
        }

        try
        {
            while (report.Kills < options.Kills)
            {
                await Task.Delay(random.Next(options.TrialMilliseconds, 4 * options.TrialMilliseconds), cancellationToken).ConfigureAwait(false);
                workers.RemoveAll(w => w.Process.HasExited && w.Process.ExitCode == 0);
                Worker[] midTrial = [.. workers.Where(w => w.Trial is not null && !w.Process.HasExited)];
                if (workers.Count == 0)
                {
                    report.Failures.Add($"The study ended after {report.Kills} kills; give it more trials.");
                    break;
                }

                if (midTrial.Length == 0)
                {
                    continue;
                }

                Worker victim = midTrial[random.Next(midTrial.Length)];
                int? trial = victim.Trial;
                victim.Process.Kill(); // SIGKILL
                await victim.Process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                report.Kills++;
                options.Log?.WriteLine($"kill {report.Kills}: worker pid {victim.Process.Id} in trial {trial}");
                workers.Remove(victim);
                victim.Process.Dispose();
                workers.Add(Worker.Start(options));
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromMinutes(5));
            foreach (Worker worker in workers)
            {
                await worker.Process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
                if (worker.Process.ExitCode != 0)
                {
                    report.Failures.Add($"A worker exited with {worker.Process.ExitCode}: {worker.Errors}");
                }
            }
        }
        finally
        {
            foreach (Worker worker in workers.Where(w => !w.Process.HasExited))
            {
                worker.Process.Kill();
            }
        }

        await CheckAsync(options, report, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private static async Task CheckAsync(WorkerKillOptions options, WorkerKillReport report, CancellationToken cancellationToken)
    {
        await using IStudyStorage storage = await StudyStorageUrl.Parse(options.StorageUrl).OpenAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<FrozenTrial> trials = await storage.GetTrialsAsync("random", cancellationToken).ConfigureAwait(false);
        report.Trials = trials.Count;
        report.BadNumbers = trials.Select(t => t.Number).SequenceEqual(Enumerable.Range(1, trials.Count)) ? 0 : 1;
        report.LeftRunning = trials.Count(t => t.State == TrialState.Running);
        report.ReachedCount = trials.Count(t => t.State == TrialState.Complete) >= options.Trials;
        FrozenTrial[] lost = [.. trials.Where(t => t.State == TrialState.Failed && t.Error?.StartsWith("worker lost", StringComparison.Ordinal) == true)];
        report.LostTrials = lost.Length;
        report.OtherFailures = trials.Count(t => t.State is TrialState.Failed or TrialState.Pruned) - lost.Length;
        var complete = trials.Where(t => t.State == TrialState.Complete).Select(t => HParamsJson.Write(t.HParams)).ToHashSet(StringComparer.Ordinal);
        report.NotRunAgain = lost.Count(t => !complete.Contains(HParamsJson.Write(t.HParams)));

        var completeConfigurations = trials.Where(t => t.State == TrialState.Complete).Select(t => HParamsJson.Write(t.HParams)).ToList();
        report.CompletedTwice = completeConfigurations.Count - completeConfigurations.Distinct(StringComparer.Ordinal).Count();

        // Each trial's sessions: one (or one per fold), each with an end; SUCCESS for a complete
        // trial's; a lost trial's folds that finished SUCCESS and the one it died in FAILURE.
        ILookup<int, SessionRecord> sessions = HParamsLogReader.ReadSessions(options.LogDir)
            .ToLookup(s => TrialNames.TryParse(s.Name, out int number, out _, out _) ? number : 0);
        int expected = Math.Max(options.Folds, 1);
        foreach (FrozenTrial trial in trials)
        {
            SessionRecord[] mine = [.. sessions[trial.Number]];
            int needed = trial.State == TrialState.Complete ? expected : Math.Min(expected, trial.FoldValues.Count + 1);
            if (mine.Length != needed || mine.Any(s => !s.HasEnd))
            {
                report.BadSessions++;
                report.Failures.Add($"Trial {trial.Number} ({trial.State}) has {mine.Length} session(s), {mine.Count(s => !s.HasEnd)} without an end; {needed} expected.");
                continue;
            }

            report.CarriedFolds += mine.Count(s => s.Texts.ContainsKey("tuner/carried_over"));
            int failures = mine.Count(s => s.Status != SessionStatus.Success);
            if (trial.State == TrialState.Complete ? failures != 0 : failures != 1)
            {
                report.WrongStatus++;
                report.Failures.Add($"Trial {trial.Number} ({trial.State}): session statuses {string.Join(", ", mine.Select(s => s.Status))}.");
            }
        }
    }

    private sealed class Worker
    {
        private int _trial; // 0: between trials

        private Worker(Process process) => Process = process;

        public Process Process { get; }

        /// <summary>The trial it is running, from its "asked N" and "told N" lines.</summary>
        public int? Trial => Volatile.Read(ref _trial) is int number and > 0 ? number : null;

        public string Errors { get; private set; } = string.Empty;

        public static Worker Start(WorkerKillOptions options)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            string[] folds = options.Folds >= 2 ? [options.Folds.ToString(CultureInfo.InvariantCulture)] : [];
            foreach (string arg in new[]
            {
                Path.Combine(AppContext.BaseDirectory, "HParamsNet.TestStudy.dll"), "worker", "random", options.StorageUrl, options.LogDir,
                options.HeartbeatMilliseconds.ToString(CultureInfo.InvariantCulture), options.TrialMilliseconds.ToString(CultureInfo.InvariantCulture),
                options.Trials.ToString(CultureInfo.InvariantCulture),
            }.Concat(folds))
            {
                start.ArgumentList.Add(arg);
            }

            var worker = new Worker(Process.Start(start) ?? throw new InvalidOperationException("Could not start a worker process."));
            worker.Process.OutputDataReceived += (_, line) => worker.Read(line.Data);
            worker.Process.ErrorDataReceived += (_, line) => worker.Errors += line.Data + "\n";
            worker.Process.BeginOutputReadLine();
            worker.Process.BeginErrorReadLine();
            return worker;
        }

        private void Read(string? line)
        {
            if (line?.StartsWith("asked ", StringComparison.Ordinal) == true)
            {
                Volatile.Write(ref _trial, int.Parse(line["asked ".Length..], CultureInfo.InvariantCulture));
            }
            else if (line?.StartsWith("told ", StringComparison.Ordinal) == true)
            {
                Volatile.Write(ref _trial, 0);
            }
        }
    }
}
