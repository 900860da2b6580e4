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
        var running = Enumerable.Range(0, settings.Workers).Select(i => Start(args, settings.StorageUrl, i)).ToList();
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
            running.Add(Start(args, settings.StorageUrl, index));
        }

        if (failures > 0)
        {
            Console.Error.WriteLine($"{failures} worker(s) failed; the study is in {url} as they left it.");
            return 1;
        }

        TimeSpan elapsed = watch.Elapsed;
        IReadOnlyList<FrozenTrial> trials;
        try
        {
            // What the workers wrote: opened as it is, never created (a removed file stays removed).
            await using IStudyStorage storage = await url.OpenExistingAsync(cancellationToken);
            trials = await storage.GetTrialsAsync(settings.Study, cancellationToken);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            Console.Error.WriteLine($"The study's storage cannot be read: {e.Message}");
            return 1;
        }

        Objective objective = StudyObjective.Create(settings).Objective;
        Summary.Print(objective, trials, elapsed, replacements);
        TunerConsole.PrintReportCommand(objective, TunerConsole.StudySource(url.ToString(), settings.Study)); // without the password
        return 0;
    }

    // The storage URL reaches the worker in its environment, not on its command line, where `ps` would show a password.
    private static (int Index, Process Process) Start(string[] args, string storageUrl, int index)
    {
        // Under `dotnet run` this is the example's own executable; under `dotnet x.dll` it is dotnet, with the dll first.
        string self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Launcher).Assembly.Location);
        }

        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--storage" && i + 1 < args.Length)
            {
                i++; // and its value
                continue;
            }

            if (!args[i].StartsWith("--storage=", StringComparison.Ordinal))
            {
                start.ArgumentList.Add(args[i]);
            }
        }

        start.ArgumentList.Add("--storage");
        start.ArgumentList.Add(StudySettings.FromVariable);
        start.Environment[StudySettings.StorageVariable] = storageUrl;

        start.ArgumentList.Add("--worker-index");
        start.ArgumentList.Add(index.ToString(CultureInfo.InvariantCulture));
        Process process = Process.Start(start)!;
        Console.WriteLine($"started worker {index} (pid {process.Id})");
        return (index, process);
    }
}
