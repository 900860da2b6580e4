using System.Diagnostics;
using System.Globalization;
using HParamsNet.Storage;
using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;

namespace HParamsNet.Examples.Distributed;

/// <summary>
/// Starts the workers of this machine, starts a replacement for one that dies before the study
/// is done (a killed worker's trial is failed and rerun by the others; its replacement keeps the
/// worker count), and prints the study once every worker has returned.
/// </summary>
internal static class Launcher
{
    public static async Task<int> RunAsync(StudySettings settings, string[] args, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.LogDir);
        StudyStorageUrl url = StudyStorageUrl.Parse(settings.StorageUrl);
        Console.WriteLine($"Study '{settings.Study}' in {url}: {settings.Workers} workers until the study has {settings.Trials} trials{(settings.Folds >= 2 ? $" of {settings.Folds} folds" : string.Empty)}; TensorBoard: tensorboard --logdir {settings.LogDir}");
        var watch = Stopwatch.StartNew();
        int replacements = 0;
        int failures = 0;
        int maxReplacements = 10 * settings.Workers;
        var running = Enumerable.Range(0, settings.Workers).Select(i => Start(args, i)).ToList();
        while (running.Count > 0)
        {
            Task<(int Index, Process Process)> ended = await Task.WhenAny(running.Select(async w =>
            {
                await w.Process.WaitForExitAsync(cancellationToken);
                return w;
            }));
            (int index, Process process) = await ended;
            running.RemoveAll(w => w.Process == process);
            int code = process.ExitCode;
            process.Dispose();
            if (code == 0)
            {
                continue;
            }

            // 128 + n: killed by signal n (kill -9, out of memory). Any other code is the worker's
            // own error, which a replacement would only repeat: it has said why on stderr.
            if (code <= 128)
            {
                failures++;
                Console.Error.WriteLine($"worker {index} failed (exit code {code}); no replacement is started");
                continue;
            }

            if (replacements++ >= maxReplacements)
            {
                Console.Error.WriteLine($"Worker {index} exited with code {code}; {maxReplacements} workers were replaced already, so no more are started. The study is in {url}; start this command again to go on.");
                return 1;
            }

            Console.WriteLine($"worker {index} exited with code {code}; starting a replacement (the others fail its trial once its heartbeat is {2 * settings.Heartbeat.TotalSeconds:0.#} s old, and run it again)");
            running.Add(Start(args, index));
        }

        if (failures > 0)
        {
            Console.Error.WriteLine($"{failures} worker(s) failed; the study is in {url} as they left it.");
            return 1;
        }

        TimeSpan elapsed = watch.Elapsed;
        await using IStudyStorage storage = await url.OpenAsync(cancellationToken);
        IReadOnlyList<FrozenTrial> trials = await storage.GetTrialsAsync(settings.Study, cancellationToken);
        Objective objective = StudyObjective.Create(settings).Objective;
        Summary.Print(objective, trials, elapsed, replacements);
        TunerConsole.PrintReportCommand(objective, $"{url}#{settings.Study}"); // a password is shown as ***
        return 0;
    }

    private static (int Index, Process Process) Start(string[] args, int index)
    {
        // Under `dotnet run` this is the example's own executable; under `dotnet x.dll` it is dotnet, with the dll first.
        string self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Launcher).Assembly.Location);
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--worker-index");
        start.ArgumentList.Add(index.ToString(CultureInfo.InvariantCulture));
        Process process = Process.Start(start)!;
        Console.WriteLine($"started worker {index} (pid {process.Id})");
        return (index, process);
    }
}
