using System.Diagnostics;
using HParamsNet.Storage;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;
using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;
using Npgsql;

namespace HParamsNet.Tests.Reliability;

/// <summary>
/// The DistributedStudy example's launcher and worker processes under faults of their storage:
/// a removed database file, a server that drops every connection, a password that must not show
/// in the process list. What a user sees is a message, never a stack trace, and nothing is lost or
/// written twice.
/// </summary>
[Category(TestCategories.Integration)]
public class DistributedStudyProcessTests
{
    [Test]
    public async Task Workers_whose_sqlite_file_is_removed_stop_with_a_message_naming_it_and_write_nothing_more()
    {
        using var dir = new TempDirectory();
        string db = dir.Combine("study.db");
        using Launched launched = Launch(dir, $"sqlite://{db}", "--trials", "2000", "--trial-ms", "20");
        await Launched.WaitForTrialsAsync(db, 20);

        File.Delete(db);
        (int exit, string output) = await launched.EndAsync();

        Assert.That(exit, Is.Not.Zero, output);
        Assert.That(output, Does.Contain($"'{db}' was removed while the study used it").And.Contain("worker(s) failed"));
        Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(File.Exists(db), Is.False, "nothing made the file again, empty");
    }

    [Test]
    public async Task Workers_of_a_postgresql_server_that_drops_every_connection_stop_with_its_words_and_the_study_goes_on_when_started_again()
    {
        using var dir = new TempDirectory();
        string schema = TestPostgres.NewSchema();
        string url = $"{TestPostgres.Url}?schema={schema}";
        try
        {
            using (Launched launched = Launch(dir, url, "--trials", "400", "--trial-ms", "20"))
            {
                await Task.Delay(2500);

                // What a server restart does to its sessions: every connection of the study's workers ended.
                await TerminateAsync(schema);
                (int exit, string output) = await launched.EndAsync();
                Assert.That(output, Does.Contain("57P01").And.Contain("Start it again"), "the outage in its own words");
                Assert.That(output, Does.Not.Contain("   at ").And.Not.Contain("was not asked for"));
                Assert.That(exit, Is.Not.Zero);
            }

            using (Launched again = Launch(dir, url, "--trials", "400", "--trial-ms", "0"))
            {
                (int exit, string output) = await again.EndAsync();
                Assert.That(exit, Is.Zero, output);
            }

            await using IStudyStorage storage = await StudyStorageUrl.Parse(url).OpenExistingAsync();
            IReadOnlyList<FrozenTrial> trials = await storage.GetTrialsAsync("faults");
            var ran = trials.Where(t => t.State == TrialState.Complete).Select(t => HParamsJson.Write(t.HParams)).ToList();
            Assert.That(ran, Is.Unique, "nothing ran twice");
            Assert.That(trials.Where(t => t.State == TrialState.Failed).Select(t => t.RunsAgain), Has.All.True, "only trials cut short failed");
            Assert.That(trials.Count(t => !t.RunsAgain), Is.EqualTo(400), "the study reached its count, exactly");
            Assert.That(trials.Where(t => t.RunsAgain).Select(t => HParamsJson.Write(t.HParams)), Is.SubsetOf(ran), "what was cut short ran again");
        }
        finally
        {
            await TestPostgres.DropAsync([schema]);
        }
    }

    [Test]
    public async Task The_password_is_on_no_command_line_of_the_launcher_or_its_workers()
    {
        // Regression: `ps` showed the URL with its password for the launcher and every worker.
        using var dir = new TempDirectory();
        string schema = TestPostgres.NewSchema();
        NpgsqlConnectionStringBuilder builder = PostgresUrl.Parse(TestPostgres.Url);
        string password = builder.Password!;
        string withoutPassword = $"postgresql://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}?schema={schema}";
        try
        {
            using Launched launched = Launch(dir, withoutPassword, new Dictionary<string, string> { ["PGPASSWORD"] = password }, "--trials", "80", "--trial-ms", "40");
            var seen = new List<string>();
            for (int look = 0; look < 20 && !launched.Process.HasExited; look++)
            {
                seen.AddRange(CommandLines().Where(c => c.Contains("DistributedStudy", StringComparison.Ordinal)));
                await Task.Delay(100);
            }

            (int exit, string output) = await launched.EndAsync();
            Assert.That(exit, Is.Zero, output);
            Assert.That(seen.Count(c => c.Contains("--worker-index", StringComparison.Ordinal)), Is.Positive, "workers were seen running");
            Assert.That(seen, Has.None.Contains("postgresql://"), "no URL on any command line: it reaches the workers in their environment");
            Assert.That(seen, Has.None.Contains($":{password}@"));
            Assert.That(output, Does.Not.Contain($":{password}@"));
        }
        finally
        {
            await TestPostgres.DropAsync([schema]);
        }
    }

    [Test]
    public async Task The_report_command_printed_for_any_study_name_is_one_shell_word_per_argument()
    {
        // Regression: the command printed for a study named a;b;c ran b and c when pasted into a
        // shell, and a name with '#' could not be addressed.
        using var dir = new TempDirectory();
        string db = dir.Combine("study.db");
        const string study = "a;b #c'd $(x) 5%";
        using Launched launched = Launch(dir, $"sqlite://{db}", study, new Dictionary<string, string>(), "--trials", "6", "--trial-ms", "0");
        (int exit, string output) = await launched.EndAsync();
        Assert.That(exit, Is.Zero, output);
        string printed = output.Split('\n').Single(l => l.StartsWith("Report (one HTML page with the plots): ", StringComparison.Ordinal));
        string command = printed[(printed.IndexOf(": ", StringComparison.Ordinal) + 2)..];

        // What bash makes of it, word by word, running nothing (printf only prints its arguments).
        var bash = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
        bash.ArgumentList.Add("-c");
        bash.ArgumentList.Add($"set -- {command}; printf '%s\\0' \"$@\"");
        using Process words = Process.Start(bash)!;
        string[] arguments = (await words.StandardOutput.ReadToEndAsync()).TrimEnd('\0').Split('\0');
        await words.WaitForExitAsync();

        Assert.That(arguments[..7], Is.EqualTo(new[] { "dotnet", "run", "-c", "Release", "--project", "src/HParamsNet.Cli", "--" }), command);
        Assert.That(arguments[7..9], Is.EqualTo(new[] { "report", $"sqlite://{db}#a;b %23c'd $(x) 5%25" }), "the study's name percent-encoded where the tool decodes it");
        Assert.That(arguments[9..], Does.Contain("--metric"));
    }

    private static IEnumerable<string> CommandLines()
    {
        foreach (string proc in Directory.EnumerateDirectories("/proc"))
        {
            string? line = null;
            try
            {
                line = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process ended meanwhile
            }

            if (line is not null)
            {
                yield return line;
            }
        }
    }

    private static async Task TerminateAsync(string schema)
    {
        NpgsqlConnectionStringBuilder builder = PostgresUrl.Parse(TestPostgres.Url);
        builder.Pooling = false;
        await using var connection = new NpgsqlConnection(builder.ToString());
        await connection.OpenAsync();

        // Only this study's: other test assemblies share the role and run at the same time.
        await using var command = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", connection);
        command.Parameters.AddWithValue(PostgresStudyStorage.ApplicationName(schema));
        Assert.That(await command.ExecuteScalarAsync(), Is.Positive, "the workers' connections were found");
    }

    private static Launched Launch(TempDirectory dir, string url, params string[] args) => Launch(dir, url, new Dictionary<string, string>(), args);

    private static Launched Launch(TempDirectory dir, string url, IReadOnlyDictionary<string, string> environment, params string[] args) => Launch(dir, url, "faults", environment, args);

    private static Launched Launch(TempDirectory dir, string url, string study, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string dll = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "examples", "DistributedStudy", "bin", "Release", "net10.0", "DistributedStudy.dll"));
        Assert.That(File.Exists(dll), Is.True, $"{dll}: build the solution (dotnet build -c Release) first");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HPARAMSNET_STORAGE_URL"] = url; // the launcher's own command line holds no URL either
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (string arg in new[] { dll, "--study", study, "--workers", "2", "--logdir", dir.Combine("logs"), "--strategy", "random", "--heartbeat-s", "1" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        return new Launched(Process.Start(start)!);
    }

    private sealed class Launched : IDisposable
    {
        private readonly Task<string> _output;
        private readonly Task<string> _error;

        public Launched(Process process)
        {
            Process = process;
            _output = process.StandardOutput.ReadToEndAsync();
            _error = process.StandardError.ReadToEndAsync();
        }

        public Process Process { get; }

        public static async Task WaitForTrialsAsync(string db, int trials)
        {
            for (int wait = 0; wait < 300; wait++)
            {
                await Task.Delay(100);
                if (File.Exists(db))
                {
                    try
                    {
                        await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenExistingAsync(db);
                        if ((await storage.GetTrialsAsync("faults")).Count >= trials)
                        {
                            return;
                        }
                    }
                    catch (Exception e) when (e is StudyStorageException or InvalidOperationException)
                    {
                        // not created yet
                    }
                }
            }

            Assert.Fail($"The study did not reach {trials} trials in 30 s.");
        }

        public async Task<(int Exit, string Output)> EndAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await Process.WaitForExitAsync(timeout.Token);
            return (Process.ExitCode, await _output + await _error);
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }
}
