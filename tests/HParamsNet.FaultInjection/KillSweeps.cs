using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.TestStudy;

namespace HParamsNet.FaultInjection;

/// <summary>How many kill sweeps to run, and how.</summary>
/// <param name="Sweeps">Sweeps; each is one new study killed one to four times, then resumed to the end.</param>
/// <param name="Seed">Seeds the kill times.</param>
/// <param name="Root">Where the studies' log directories go.</param>
/// <param name="Log">Receives one line per sweep.</param>
public sealed record KillSweepOptions(int Sweeps, int Seed, string Root, TextWriter? Log = null);

/// <summary>What the sweeps found; every count but <see cref="Sweeps"/>, <see cref="Kills"/> and <see cref="EarlyKills"/> should be 0.</summary>
public sealed record KillReport
{
    public int Sweeps { get; set; }

    public int Kills { get; set; }

    /// <summary>Kills within 200 ms of a new study starting to open its log directory.</summary>
    public int EarlyKills { get; set; }

    /// <summary>Configurations (grid) or trials (default strategy) missing after the final run.</summary>
    public int Lost { get; set; }

    /// <summary>Configurations that completed more than once, or sessions written twice.</summary>
    public int Duplicated { get; set; }

    /// <summary>Folds trained again though an attempt of their configuration had finished them (finished folds are carried over).</summary>
    public int Retrained { get; set; }

    /// <summary>Groups that did not complete and are not an attempt cut short (lost or interrupted) of a configuration that completed later.</summary>
    public int Unexplained { get; set; }

    /// <summary>Attempts cut short by a kill that TensorBoard shows (their sessions ended, failed as lost): expected, not a fault.</summary>
    public int LostAttempts { get; set; }

    /// <summary>Fold sessions carried from a lost attempt into the trial that ran its configuration again.</summary>
    public int CarriedFolds { get; set; }

    /// <summary>Sessions without an end after the final run.</summary>
    public int Dangling { get; set; }

    /// <summary>Studies that the final run could not complete.</summary>
    public int Wedged { get; set; }

    /// <summary>Files of trials finished before a kill that changed afterwards.</summary>
    public int Modified { get; set; }

    /// <summary>Errors <c>hparams validate</c> reported on the finished study.</summary>
    public int ValidationErrors { get; set; }

    /// <summary>A finished study whose rerun ran something or failed.</summary>
    public int NotResumable { get; set; }

    public List<string> Failures { get; } = [];

    public bool Clean => Lost + Duplicated + Retrained + Unexplained + Dangling + Wedged + Modified + ValidationErrors + NotResumable == 0;
}

/// <summary>
/// kill -9 at random times over studies run in child processes: grid and default strategy,
/// cross-validation on and off, one and two parallel trials; every fourth sweep is killed within
/// 200 ms of the study starting to open its log directory. After each sweep the study is resumed
/// to the end and checked with the project's own readers.
/// </summary>
public static class KillSweeps
{
    private static readonly (bool Grid, bool Cv, int Parallelism)[] Combinations =
        [.. from grid in new[] { true, false } from cv in new[] { false, true } from parallelism in new[] { 1, 2 } select (grid, cv, parallelism)];

    public static async Task<KillReport> RunAsync(KillSweepOptions options, CancellationToken cancellationToken = default)
    {
        var report = new KillReport();
        var random = new Random(options.Seed);
        for (int sweep = 0; sweep < options.Sweeps; sweep++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (bool grid, bool cv, int parallelism) = Combinations[sweep % Combinations.Length];
            string logDir = Path.Combine(options.Root, $"sweep-{sweep:D4}");
            bool early = sweep % 4 == 0;
            int kills = random.Next(1, 5);
            var before = report with { };
            await SweepAsync(logDir, grid, cv, parallelism, early, kills, random, report, cancellationToken).ConfigureAwait(false);
            report.Sweeps++;
            options.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sweep {sweep}: {(grid ? "grid" : "auto")} cv={cv} parallel={parallelism} kills={kills}{(early ? " (first within 200 ms)" : string.Empty)}: lost {report.Lost - before.Lost}, duplicated {report.Duplicated - before.Duplicated}, retrained {report.Retrained - before.Retrained}, unexplained {report.Unexplained - before.Unexplained}, dangling {report.Dangling - before.Dangling}, wedged {report.Wedged - before.Wedged}, modified {report.Modified - before.Modified}, validate errors {report.ValidationErrors - before.ValidationErrors}; lost attempts shown {report.LostAttempts - before.LostAttempts}, folds carried {report.CarriedFolds - before.CarriedFolds}"));
            if (report.Clean)
            {
                Directory.Delete(logDir, recursive: true);
                if (Directory.Exists(logDir + ".interrupted"))
                {
                    Directory.Delete(logDir + ".interrupted", recursive: true);
                }
            }
        }

        return report;
    }

    private static async Task SweepAsync(string logDir, bool grid, bool cv, int parallelism, bool early, int kills, Random random, KillReport report, CancellationToken cancellationToken)
    {
        var finishedFiles = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (int kill = 0; kill < kills; kill++)
        {
            int delay = early && kill == 0 ? random.Next(0, 200) : random.Next(0, 1500);
            using Process child = StartStudy(logDir, stepMilliseconds: 20, cv, grid, parallelism);
            while (await child.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is string line && line != "start")
            {
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            child.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no flush
            await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            report.Kills++;
            report.EarlyKills += early && kill == 0 ? 1 : 0;
            CheckUntouched(finishedFiles, report, logDir);
            Snapshot(logDir, finishedFiles);
        }

        (int exit, string output, string error) = await RunToEndAsync(logDir, cv, grid, parallelism, cancellationToken).ConfigureAwait(false);
        if (exit != 0 || !output.Contains($"done {TestStudy.TestStudy.Trials}", StringComparison.Ordinal))
        {
            report.Wedged++;
            report.Failures.Add($"{logDir}: the final run exited {exit}: {error.Trim()} {output.Trim()}");
            return;
        }

        CheckUntouched(finishedFiles, report, logDir);
        CheckStudy(logDir, grid, cv, report);

        // A finished study resumes to nothing: same sessions, same files.
        Snapshot(logDir, finishedFiles);
        int sessions = HParamsLogReader.ReadSessions(logDir).Count;
        (exit, output, error) = await RunToEndAsync(logDir, cv, grid, parallelism, cancellationToken).ConfigureAwait(false);
        if (exit != 0 || HParamsLogReader.ReadSessions(logDir).Count != sessions)
        {
            report.NotResumable++;
            report.Failures.Add($"{logDir}: rerunning the finished study exited {exit} or added sessions: {error.Trim()}");
        }

        CheckUntouched(finishedFiles, report, logDir);
    }

    // The one resume rule, checked: every configuration completes once (a group of `folds`
    // successful sessions); an attempt a kill cut short stays visible as a failed group whose
    // sessions all ended ("worker lost"); a fold it finished is carried over, not trained again.
    private static void CheckStudy(string logDir, bool grid, bool cv, KillReport report)
    {
        IReadOnlyList<SessionRecord> sessions = HParamsLogReader.ReadSessions(logDir);
        int folds = cv ? TestStudy.TestStudy.Folds : 1;
        int dangling = sessions.Count(s => !s.HasEnd);
        report.Dangling += dangling;
        var groups = sessions.GroupBy(s => s.GroupName).ToList();
        var complete = groups.Where(g => g.Count(s => s.HasEnd && s.Status == SessionStatus.Success) == folds).ToList();
        var completeConfigurations = complete.Select(g => Describe(g.First().HParams)).ToList();
        int duplicatedConfigurations = completeConfigurations.Count - completeConfigurations.Distinct(StringComparer.Ordinal).Count();
        int duplicatedSessions = groups.Sum(g => Math.Max(0, g.Count() - folds)) + (sessions.Count - sessions.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count());
        report.Duplicated += duplicatedConfigurations + duplicatedSessions;
        report.Lost += Math.Max(0, TestStudy.TestStudy.Trials - complete.Count);
        var attempts = groups.Except(complete).ToList();
        int unexplained = attempts.Count(g => !completeConfigurations.Contains(Describe(g.First().HParams)) || !g.Any(s => s.Texts.GetValueOrDefault("tuner/status")?.StartsWith("failed: worker lost", StringComparison.Ordinal) == true));
        report.Unexplained += unexplained;
        report.LostAttempts += attempts.Count;
        report.CarriedFolds += sessions.Count(s => s.Texts.ContainsKey("tuner/carried_over"));
        int retrained = sessions
            .Where(s => s.HasEnd && s.Status == SessionStatus.Success && !s.Texts.ContainsKey("tuner/carried_over"))
            .GroupBy(s => (Describe(s.HParams), s.Name.Contains("/fold-", StringComparison.Ordinal) ? s.Name[^2..] : string.Empty))
            .Sum(g => g.Count() - 1);
        report.Retrained += retrained;
        ValidationReport validation = LogDirectoryValidator.Validate(logDir);
        int errors = validation.Problems.Count(p => p.Severity == ValidationSeverity.Error);
        report.ValidationErrors += errors;
        if (dangling + duplicatedConfigurations + duplicatedSessions + retrained + unexplained + errors > 0 || complete.Count != TestStudy.TestStudy.Trials)
        {
            report.Failures.Add($"{logDir} ({(grid ? "grid" : "auto")}, cv={cv}): {complete.Count} complete trials, {dangling} dangling, {duplicatedConfigurations + duplicatedSessions} duplicated, {retrained} folds retrained, {unexplained} unexplained groups, validate: {string.Join(" | ", validation.Problems.Where(p => p.Severity == ValidationSeverity.Error).Select(p => $"{p.Where}: {p.Message}"))}");
        }
    }

    // The files of every session that had ended, so that a later run can be checked not to touch them.
    private static void Snapshot(string logDir, Dictionary<string, byte[]> files)
    {
        if (!Directory.Exists(logDir) || LogDirectory.FindRuns(logDir).Count == 0)
        {
            return;
        }

        foreach (SessionRecord session in HParamsLogReader.ReadSessions(logDir).Where(s => s.HasEnd))
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(logDir, session.Name), "*", SearchOption.AllDirectories))
            {
                files.TryAdd(file, SHA256.HashData(File.ReadAllBytes(file)));
            }
        }
    }

    private static void CheckUntouched(Dictionary<string, byte[]> files, KillReport report, string logDir)
    {
        foreach ((string file, byte[] hash) in files)
        {
            if (!File.Exists(file) || !SHA256.HashData(File.ReadAllBytes(file)).AsSpan().SequenceEqual(hash))
            {
                report.Modified++;
                report.Failures.Add($"{logDir}: '{file}' of a finished trial was {(File.Exists(file) ? "changed" : "removed")}");
                files.Remove(file);
            }
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunToEndAsync(string logDir, bool cv, bool grid, int parallelism, CancellationToken cancellationToken)
    {
        using Process child = StartStudy(logDir, stepMilliseconds: 1, cv, grid, parallelism);
        Task<string> output = child.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = child.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await child.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            child.Kill(entireProcessTree: true);
            return (-1, await output.ConfigureAwait(false), "hung for 2 minutes");
        }

        return (child.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    private static Process StartStudy(string logDir, int stepMilliseconds, bool cv, bool grid, int parallelism)
    {
        string helper = Path.Combine(AppContext.BaseDirectory, "HParamsNet.TestStudy.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { helper, logDir, stepMilliseconds.ToString(CultureInfo.InvariantCulture), cv ? "cv" : "plain", grid ? "grid" : "auto", parallelism.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the study process.");
    }

    private static string Describe(IReadOnlyDictionary<string, object> hparams) =>
        string.Join(", ", hparams.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}"));
}
