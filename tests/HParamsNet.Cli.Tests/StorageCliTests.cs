using System.Text.Json.Nodes;
using HParamsNet.Cli;
using HParamsNet.Storage;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Cli.Tests;

/// <summary>The commands on a study storage (a SQLite file of two studies run with ask and tell) instead of a log directory.</summary>
public class StorageCliTests
{
    private static readonly HParam Units = new("units", new Discrete(8, 16, 32));
    private static readonly Metric Loss = new("loss");
    private string _dir = string.Empty;

    private string Database => Path.Combine(_dir, "studies.db");

    private string Url => $"sqlite://{Database}";

    [SetUp]
    public async Task RunTwoStudies()
    {
        _dir = Path.Combine(Path.GetTempPath(), "hparamsnet-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(Database);
        foreach (string name in new[] { "wide", "narrow" })
        {
            await using Study study = await Study.CreateOrLoadAsync(new StudyOptions
            {
                Storage = storage,
                Name = name,
                Space = [Units],
                Objective = new Objective(Loss, StudyDirection.Minimize),
                LogDir = Path.Combine(_dir, name),
                Strategy = new GridSearch(),
            });
            while (await study.AskAsync() is Trial trial)
            {
                int units = trial.Get<int>(Units);
                if (units == 32 && name == "narrow")
                {
                    await study.TellFailedAsync(trial, "out of memory");
                    continue;
                }

                trial.Report(units / 4.0, 1);
                await study.TellAsync(trial, units / 8.0);
            }
        }
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Test]
    public void Ls_on_a_storage_lists_each_study_by_its_url()
    {
        var (exit, output, error) = Run("ls", Url);

        Assert.That((exit, error), Is.EqualTo((0, string.Empty)));
        Assert.That(output, Does.Contain($"{Url}#narrow").And.Contain($"{Url}#wide"));
        Assert.That(output, Does.Contain("2 Success, 1 Failure").And.Contain("3 Success"));
    }

    [Test]
    public void Report_draws_every_study_of_a_storage_side_by_side()
    {
        string path = Path.Combine(_dir, "studies.html");

        var (exit, output, error) = Run("report", Url, "-o", path);

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("6 trials, objective loss (minimised)"));
        string html = File.ReadAllText(path);
        Assert.That(html, Does.Contain($"\"label\":\"{Url}#narrow\"").And.Contain($"\"label\":\"{Url}#wide\""));
        Assert.That(html, Does.Contain("\"failed\":1"), "narrow's out-of-memory trial");
    }

    [Test]
    public void Best_and_export_read_one_study_named_after_the_hash()
    {
        var (exit, output, _) = Run("best", $"{Url}#wide", "--metric", "loss", "--json");
        var best = JsonNode.Parse(output)!;
        var (exportExit, exported, _) = Run("export", $"{Url}#narrow", "--format", "json");
        var rows = JsonNode.Parse(exported)!.AsArray();

        Assert.That(exit, Is.Zero);
        Assert.That((double)best["hparams"]!["units"]!, Is.EqualTo(8));
        Assert.That((double)best["metrics"]!["loss"]!["last"]!, Is.EqualTo(1.0));
        Assert.That((long)best["metrics"]!["loss"]!["last_step"]!, Is.EqualTo(2), "the intermediate value at step 1, the final one after it");
        Assert.That((string)best["logdir"]!, Is.EqualTo($"{Url}#wide"));
        Assert.That(exportExit, Is.Zero);
        Assert.That(rows.Select(r => ((double)r!["hparams"]!["units"]!, (string)r["status"]!)), Is.EquivalentTo(new[] { (8.0, "Success"), (16.0, "Success"), (32.0, "Failure") }));
        Assert.That(rows.Select(r => (string)r!["logdir"]!).Distinct(), Is.EqualTo(new[] { $"{Url}#narrow" }));
    }

    [Test]
    public void A_command_that_reads_one_study_says_which_to_name()
    {
        var (exit, _, error) = Run("best", Url, "--metric", "loss");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("holds 2 studies; name one as").And.Contain("#NAME (narrow, wide)"));
    }

    [Test]
    public void Rebuild_writes_a_log_directory_per_study_and_never_into_a_full_one()
    {
        string target = Path.Combine(_dir, "rebuilt");

        var (exit, output, _) = Run("rebuild", Url, "-o", target);
        var (again, _, error) = Run("rebuild", $"{Url}#wide", "-o", Path.Combine(target, "wide"));
        var (lsExit, listed, _) = Run("ls", Path.Combine(target, "narrow"));

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("Wrote study 'narrow' (3 trials)").And.Contain("Wrote study 'wide' (3 trials)"));
        Assert.That((again, error), Is.EqualTo((2, $"hparams: '{Path.Combine(target, "wide")}' is not empty; give a new directory for study 'wide'. Nothing was written.{Environment.NewLine}")));
        Assert.That(lsExit, Is.Zero);
        Assert.That(listed, Does.Contain("2 Success, 1 Failure"));
    }

    [Test]
    public void A_missing_file_an_unknown_study_and_a_bad_url_are_named_and_nothing_is_created()
    {
        string missing = Path.Combine(_dir, "missing.db");

        var (noFile, _, noFileError) = Run("ls", $"sqlite://{missing}");
        var (noStudy, _, noStudyError) = Run("compare", $"{Url}#deep");
        var (relative, _, relativeError) = Run("ls", "sqlite://studies.db");

        Assert.That((noFile, noFileError), Is.EqualTo((2, $"hparams: There is no SQLite study storage '{missing}'. Check the path (sqlite:// then the absolute path: sqlite:///home/me/study.db); nothing was created.{Environment.NewLine}")));
        Assert.That(File.Exists(missing), Is.False);
        Assert.That((noStudy, noStudyError), Is.EqualTo((2, $"hparams: {Url} has no study 'deep'; studies: narrow, wide.{Environment.NewLine}")));
        Assert.That(relative, Is.EqualTo(2));
        Assert.That(relativeError, Does.Contain("the path after sqlite:// must be absolute"));
    }

    [Test]
    public void An_unreachable_database_is_named_without_its_password()
    {
        var (exit, _, error) = Run("ls", "postgresql://me:s3cret@127.0.0.1:1/studies");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("PostgreSQL database 'studies' on 127.0.0.1:1").And.Not.Contain("s3cret"));
    }
}

/// <summary><c>hparams best --pareto</c> on a study with two objectives and a constraint, by its storage URL and by its log directory.</summary>
public class ParetoCliTests
{
    private static readonly HParam X = new("x", new Discrete(0.0, 0.25, 0.5, 0.75, 1.0));
    private static readonly HParam Y = new("y", new Discrete(0.0, 0.5));
    private static readonly Metric Error = new("error");
    private static readonly Metric Size = new("size");
    private static readonly Metric OverBudget = new("over_budget");

    [Test]
    public async Task Best_pareto_prints_the_same_front_from_the_storage_and_from_the_log_directory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hparamsnet-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string database = Path.Combine(dir, "mo.db");
            await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(database))
            await using (Study study = await Study.CreateOrLoadAsync(new StudyOptions
            {
                Storage = storage,
                Name = "tradeoff",
                Space = [X, Y],
                Objectives = [new Objective(Error, StudyDirection.Minimize), new Objective(Size, StudyDirection.Minimize)],
                Constraints = [OverBudget],
                LogDir = Path.Combine(dir, "logs"),
                Strategy = new GridSearch(),
            }))
            {
                // Front: x = 0, 0.25, 0.5, 0.75 with y = 0; x = 1 is over budget; y = 0.5 is dominated.
                while (await study.AskAsync() is Trial trial)
                {
                    double x = trial.Get<double>(X);
                    double y = trial.Get<double>(Y);
                    await study.TellAsync(trial, new TrialValues([1 - x + y, x], new Dictionary<Metric, double> { [OverBudget] = x - 0.9 }));
                }
            }

            var output = new StringWriter();
            var error = new StringWriter();
            int exit = CliApp.Run(["best", $"sqlite://{database}#tradeoff", "--pareto", "--json"], output, error);
            var fromLogDir = new StringWriter();
            int exitLogDir = CliApp.Run(["best", Path.Combine(dir, "logs"), "--pareto", "--json"], fromLogDir, error);
            var table = new StringWriter();
            CliApp.Run(["best", Path.Combine(dir, "logs"), "--pareto"], table, error);

            Assert.That((exit, exitLogDir, error.ToString()), Is.EqualTo((0, 0, string.Empty)));
            static IEnumerable<string> Xs(string json) => JsonNode.Parse(json)!.AsArray().Select(r => r!["hparams"]!["x"]!.ToJsonString());
            Assert.That(Xs(output.ToString()), Is.EqualTo(new[] { "0.75", "0.5", "0.25", "0" }));
            Assert.That(Xs(fromLogDir.ToString()), Is.EqualTo(Xs(output.ToString())));
            Assert.That(table.ToString(), Does.Contain("Pareto front of study 'tradeoff': 4 of 10 trials (minimize error, minimize size; feasible when over_budget <= 0)"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
