using HParamsNet.Storage;
using HParamsNet.Tuning.Storage;

namespace HParamsNet.Cli.Tests;

/// <summary>
/// Regressions: storages the tool cannot use gave a stack trace (exit 134) instead of a message;
/// some study names could not be addressed or written; a damaged record was said by one command only.
/// </summary>
public class StorageFaultCliTests
{
    private static readonly HParam Units = new("units", new Discrete(8, 16));
    private static readonly Metric Loss = new("loss");

    private static (int Exit, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    [Test]
    public void Storages_that_cannot_be_used_are_a_message_and_exit_code_2_never_a_stack_trace_nor_a_password()
    {
        string dir = CliRunner.NewDirectory();
        var cases = new (string Url, string Says)[]
        {
            ("postgresql://someone:s3cret-pw@127.0.0.1:1/studies", "cannot be reached"),
            ("postgresql://someone:s3cret-pw@127.0.0.1:1/studies?schema=a;b", "schema 'a;b' must be letters"),
            ($"sqlite://{Path.Combine(dir, "missing.db")}", "There is no SQLite study storage"),
        };
        foreach ((string url, string says) in cases)
        {
            foreach (string[] command in new[] { new[] { "ls" }, new[] { "validate" }, new[] { "export", "--format", "csv" } })
            {
                var (exit, output, error) = Run([command[0], url, .. command.Skip(1)]);
                Assert.That(exit, Is.EqualTo(2), $"{command} {url}: {error}");
                Assert.That(error, Does.StartWith("hparams: ").And.Contain(says).And.Not.Contain("s3cret-pw").And.Not.Contain("   at "));
            }
        }

        Assert.That(File.Exists(Path.Combine(dir, "missing.db")), Is.False, "a reader creates nothing");
    }

    [Test]
    public async Task A_damaged_sqlite_file_is_said_by_every_command_not_read_as_a_study()
    {
        // Regression: ls and rebuild exited 0 "reporting 99 trials" of a file SQLite calls malformed.
        string dir = CliRunner.NewDirectory();
        string db = Path.Combine(dir, "studies.db");
        await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(db))
        {
            await storage.CreateOrLoadStudyAsync(new StudyDefinition("s", new HParamsExperiment([Units], [Loss]), new Objective(Loss, StudyDirection.Minimize)));
            for (int i = 0; i < 60; i++)
            {
                int number = await storage.CreateTrialAsync("s");
                await storage.FinishTrialAsync("s", number, TrialOutcome.Failed(new string('x', 400)));
            }
        }

        byte[] bytes = await File.ReadAllBytesAsync(db);
        for (int i = 4096; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 13);
        }

        await File.WriteAllBytesAsync(db, bytes);
        foreach (string[] args in new[] { new[] { "ls", $"sqlite://{db}" }, new[] { "rebuild", $"sqlite://{db}#s", "-o", Path.Combine(dir, "out") } })
        {
            var (exit, _, error) = Run(args);
            Assert.That(exit, Is.EqualTo(2), $"{args[0]}: {error}");
            Assert.That(error, Does.Contain(db).And.Contain("is damaged or not a database").And.Not.Contain("   at "));
        }
    }

    [Test]
    public async Task Any_study_name_can_be_addressed_and_every_study_is_rebuilt_whatever_its_name()
    {
        string dir = CliRunner.NewDirectory();
        string db = Path.Combine(dir, "studies.db");
        string[] names = ["a#b", "x/y", "x_y", "50%", "a;b;c"];
        await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(db))
        {
            foreach (string name in names)
            {
                await storage.CreateOrLoadStudyAsync(new StudyDefinition(name, new HParamsExperiment([Units], [Loss]), new Objective(Loss, StudyDirection.Minimize)));
                int number = (await storage.CreateTrialAsync(name, new Dictionary<string, object> { ["units"] = 8 }))!.Value;
                await storage.FinishTrialAsync(name, number, TrialOutcome.Complete(name.Length));
            }
        }

        var (hashExit, hashOutput, hashError) = Run("ls", $"sqlite://{db}#a%23b");
        var (plainExit, plainOutput, _) = Run("ls", $"sqlite://{db}#a#b");
        var (rebuildExit, rebuildOutput, rebuildError) = Run("rebuild", $"sqlite://{db}", "-o", Path.Combine(dir, "all"));

        Assert.That(hashExit, Is.Zero, hashError);
        Assert.That(hashOutput, Does.Contain("#a#b"));
        Assert.That(plainExit, Is.Zero, "the first '#' ends the URL");
        Assert.That(plainOutput, Does.Contain("#a#b"));
        Assert.That(rebuildExit, Is.Zero, rebuildError);
        Assert.That(names.Select(n => rebuildOutput.Contains($"Wrote study '{n}'", StringComparison.Ordinal)), Has.All.True, rebuildOutput);
        Assert.That(Directory.EnumerateDirectories(Path.Combine(dir, "all")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "a#b", "x_y", "x_y-2", "50%", "a;b;c" }));
    }

    [Test]
    public void An_empty_study_name_is_said_in_words()
    {
        var error = Assert.Throws<ArgumentException>(() => new StudyDefinition(" ", new HParamsExperiment([Units], [Loss]), new Objective(Loss, StudyDirection.Minimize)).Validate())!;

        Assert.That(error.Message, Does.StartWith("A study needs a name"));
    }
}
