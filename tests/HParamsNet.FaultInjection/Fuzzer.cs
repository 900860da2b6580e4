using System.Globalization;
using HParamsNet.Cli;
using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.TestStudy;
using HParamsNet.Tuning;

namespace HParamsNet.FaultInjection;

/// <summary>How many mutated files to read, and from which seeds.</summary>
/// <param name="Files">Mutated files; each is read by every public reader and every CLI command.</param>
/// <param name="Seed">Seeds the mutations.</param>
/// <param name="Root">A scratch directory.</param>
/// <param name="Log">Receives progress and every unexpected outcome.</param>
public sealed record FuzzOptions(int Files, int Seed, string Root, TextWriter? Log = null);

/// <summary>What the fuzz run found; <see cref="Unexpected"/> and <see cref="Hangs"/> should be 0.</summary>
public sealed record FuzzReport
{
    public int Files { get; set; }

    /// <summary>Reader and CLI calls made.</summary>
    public int Calls { get; set; }

    /// <summary>Damage the readers reported (problems, or <see cref="CorruptEventFileException"/> in strict mode): expected.</summary>
    public int Reported { get; set; }

    /// <summary>Resumes of a mutated study that were refused with a message (expected for a damaged experiment).</summary>
    public int RefusedResumes { get; set; }

    /// <summary>Any other exception, a CLI stack trace, or an exit code outside 0-2.</summary>
    public int Unexpected { get; set; }

    /// <summary>Calls that did not return within the time limit.</summary>
    public int Hangs { get; set; }

    public Dictionary<string, int> ByMutation { get; } = new(StringComparer.Ordinal);

    public List<string> Failures { get; } = [];
}

/// <summary>
/// Mutated event files (TensorBoard's goldens and a study of ours) through every public reader
/// (event file, run, log directory, sessions, experiments, validator, comparison) in lenient and
/// strict mode, every CLI command in-process, and a study resume.
/// </summary>
public static class Fuzzer
{
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(20);

    public static async Task<FuzzReport> RunAsync(FuzzOptions options, CancellationToken cancellationToken = default)
    {
        var report = new FuzzReport();
        var random = new Random(options.Seed);
        List<string> seeds = await PrepareSeedsAsync(options.Root).ConfigureAwait(false);
        // A log directory first, then one of its files: the 200-run golden would otherwise take most turns.
        var files = seeds.Select(seed => (Seed: seed, Files: Directory.GetFiles(seed, "*tfevents*", SearchOption.AllDirectories))).ToList();
        for (int i = 0; i < options.Files; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (string seed, string[] candidates) = files[random.Next(files.Count)];
            string file = candidates[random.Next(candidates.Length)];
            byte[] original = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            int kind = random.Next(Mutations.Names.Length);
            await File.WriteAllBytesAsync(file, Mutations.Apply(original, kind, random), cancellationToken).ConfigureAwait(false);
            report.Files++;
            report.ByMutation[Mutations.Names[kind]] = report.ByMutation.GetValueOrDefault(Mutations.Names[kind]) + 1;
            try
            {
                string context = $"file {i} ({Mutations.Names[kind]} of {Path.GetRelativePath(options.Root, file)})";
                await CallAsync(report, context, () => ReadEverything(seed, file, report)).ConfigureAwait(false);
                if (Path.GetFileName(seed) == "study" && i % 25 == 0)
                {
                    await CallAsync(report, context + ", resume", () => Resume(seed, options.Root, report)).ConfigureAwait(false);
                }
            }
            finally
            {
                await File.WriteAllBytesAsync(file, original, cancellationToken).ConfigureAwait(false);
            }

            if (options.Log is not null && (i + 1) % 1000 == 0)
            {
                await options.Log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{i + 1} files: {report.Calls} calls, {report.Reported} damage reports, {report.Unexpected} unexpected, {report.Hangs} hangs")).ConfigureAwait(false);
            }
        }

        foreach (string failure in report.Failures.Take(20))
        {
            options.Log?.WriteLine(failure);
        }

        return report;
    }

    // Each call on its own thread with a time limit, so that a hang is counted, not waited for.
    private static async Task CallAsync(FuzzReport report, string context, Action call)
    {
        Task task = Task.Run(call);
        if (await Task.WhenAny(task, Task.Delay(CallLimit)).ConfigureAwait(false) != task)
        {
            report.Hangs++;
            report.Failures.Add($"{context}: no answer within {CallLimit.TotalSeconds} s");
            return;
        }

        try
        {
            await task.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // counting every unexpected exception is the point
        catch (Exception e)
#pragma warning restore CA1031
        {
            report.Unexpected++;
            report.Failures.Add($"{context}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
    }

    private static void ReadEverything(string logDir, string file, FuzzReport report)
    {
        var lenient = new EventFileReaderOptions { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile, ProblemReported = _ => report.Reported++ };
        var strict = new EventFileReaderOptions { OnCorruptRecord = CorruptRecordHandling.Throw };
        string run = Path.GetDirectoryName(file)!;
        foreach (EventFileReaderOptions options in new[] { lenient, strict })
        {
            Strict(report, () => EventFileReader.ReadEvents(file, options).Count());
            Strict(report, () => EventFileReader.ReadRecords(file, options).Count());
            Strict(report, () => EventFileReader.ReadScalars(file, options).Count());
            Strict(report, () => EventFileReader.ReadRunEvents(run, options).Count());
            Strict(report, () => EventFileReader.ReadRunScalars(run, options).Count());
            Strict(report, () => HParamsLogReader.ReadSessions(logDir, options).Count);
            Strict(report, () => HParamsLogReader.ReadExperiments(logDir, options).Count);
            Strict(report, () => HParamsLogReader.ReadExperiment(logDir, options));
            Strict(report, () => ComparisonTable.Load([logDir], bySession: false, options: options).Rows.Count);
        }

        report.Calls += 2;
        _ = LogDirectory.Scan(logDir);
        _ = LogDirectoryValidator.Validate(logDir);
        string metric = ComparisonTable.Load([logDir], bySession: false, options: lenient).Metrics.Select(m => m.Tag).FirstOrDefault() ?? "accuracy";
        foreach (string[] args in new[]
        {
            new[] { "ls", logDir }, ["compare", logDir, "--sort"], ["compare", logDir, "--sessions", "--format", "json"], ["best", logDir, "--metric", metric],
            ["export", logDir, "--format", "csv"], ["export", logDir, "--format", "md"], ["validate", logDir],
        })
        {
            report.Calls++;
            var output = new StringWriter();
            var error = new StringWriter();
            int exit = CliApp.Run(args, output, error);
            string all = output + error.ToString();
            if (exit is < 0 or > 2 || all.Contains("   at ", StringComparison.Ordinal) || all.Contains("Unhandled", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"hparams {string.Join(' ', args)} exited {exit}: {all}");
            }
        }
    }

    // In strict mode damage is a CorruptEventFileException; nothing else may come out of a reader.
    private static void Strict(FuzzReport report, Func<object?> read)
    {
        report.Calls++;
        try
        {
            _ = read();
        }
        catch (CorruptEventFileException)
        {
            report.Reported++;
        }
    }

    // The mutated study resumed in a copy: it completes, or is refused with a message.
    private static void Resume(string study, string root, FuzzReport report)
    {
        string copy = Path.Combine(root, "resume-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(study, copy);
        try
        {
            new Tuner(StudyOptions(copy)).RunAsync(TestStudy.TestStudy.Score).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException e) when (e.Message.Contains(copy, StringComparison.Ordinal))
        {
            report.RefusedResumes++;
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
            if (Directory.Exists(copy + ".interrupted"))
            {
                Directory.Delete(copy + ".interrupted", recursive: true);
            }
        }
    }

    private static TunerOptions StudyOptions(string logDir) => TestStudy.TestStudy.Options(logDir, crossValidate: true) with { Progress = null };

    // Copies of TensorBoard's goldens and a cross-validated study of ours, to mutate.
    private static async Task<List<string>> PrepareSeedsAsync(string root)
    {
        var seeds = new List<string>();
        string goldens = Path.Combine(AppContext.BaseDirectory, "Assets", "golden");
        foreach (string golden in Directory.EnumerateDirectories(goldens).Order(StringComparer.Ordinal))
        {
            string target = Path.Combine(root, Path.GetFileName(golden));
            CopyDirectory(Path.Combine(golden, "logdir"), target);
            seeds.Add(target);
        }

        string study = Path.Combine(root, "study");
        await new Tuner(StudyOptions(study) with { MaxTrials = 4 }).RunAsync(trial =>
        {
            trial.Report(0.5, 1);
            return trial.Get<string>("optimizer") == "sgd" ? throw new InvalidOperationException("diverged") : TestStudy.TestStudy.Score(trial);
        }).ConfigureAwait(false);
        seeds.Add(study);
        return seeds;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
