using System.Text.Json.Nodes;
using Google.Protobuf;
using HParamsNet.Cli;
using HParamsNet.Summaries;

namespace HParamsNet.Cli.Tests;

/// <summary>Every command on TensorBoard's own files (the goldens) and on ours, checking exact values.</summary>
public class CliTests
{
    private static string Golden(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Assets", "golden", name, "logdir");

    private static (int Exit, string Output, string Error) Run(params string[] args) => CliRunner.Run(args);

    private static string NewDirectory() => CliRunner.NewDirectory();

    [Test]
    public void Compare_csv_on_cross_validation_groups_gives_mean_std_and_best()
    {
        var (exit, output, _) = Run("compare", Golden("cv_groups"), "--metric", "accuracy", "--sort", "--format", "csv");
        string[] lines = output.Trim().Split('\n');

        Assert.That(exit, Is.Zero);
        Assert.That(lines[0], Is.EqualTo("logdir,group,sessions,status,lr,depth,accuracy,accuracy.best,accuracy.best_step,accuracy.std,accuracy.last_step"));
        Assert.That(lines.Skip(1).Select(l => string.Join(",", l.Split(',').Skip(1))), Is.EqualTo(new[]
        {
            // Every digit (round trip): the values TensorBoard stored as float32, averaged in double.
            "cfg2,3,Success,0.1,2,0.8399999936421713,0.8999999761581421,2,0.043204924377535446,2",
            "cfg1,3,Success,0.01,4,0.7366666595141093,0.7699999809265137,2,0.028674415616719486,2",
            "cfg0,3,Success,0.01,2,0.6266666650772095,0.6499999761581421,2,0.016996715502629454,2",
            "cfg3,3,Success,0.1,4,0.5200000007947286,0.550000011920929,2,0.021602475984562757,2",
        }));
        var json = JsonNode.Parse(Run("compare", Golden("cv_groups"), "--metric", "accuracy", "--sort", "--format", "json").Output)!.AsArray();
        Assert.That(
            lines.Skip(1).Select(l => double.Parse(l.Split(',')[6], System.Globalization.CultureInfo.InvariantCulture)),
            Is.EqualTo(json.Select(r => (double)r!["metrics"]!["accuracy"]!["last"]!)),
            "a CSV value parses back to the exact double");
    }

    [Test]
    public void Compare_json_per_session_shows_every_status()
    {
        var (exit, output, _) = Run("compare", Golden("statuses_and_metrics"), "--sessions", "--format", "json");
        var rows = JsonNode.Parse(output)!.AsArray();

        Assert.That(exit, Is.Zero);
        Assert.That(rows.Select(r => (r!["group"]!.GetValue<string>(), r["status"]!.GetValue<string>())), Is.EquivalentTo(new[]
        {
            ("success", "Success"), ("failure", "Failure"), ("running", "Running"), ("no_end_info", "Unknown"), ("unknown", "Unknown"),
        }));
        JsonNode failure = rows.Single(r => r!["group"]!.GetValue<string>() == "failure")!;
        Assert.That(failure["metrics"]!["validation/epoch_accuracy"]!["last_step"]!.GetValue<long>(), Is.EqualTo(2), "the failed session stopped at step 2");
        Assert.That(failure["hparams"]!["layers"]!.GetValue<double>(), Is.EqualTo(3));
    }

    [Test]
    public void Best_and_last_differ_when_a_series_peaks_early()
    {
        string dir = NewDirectory();
        var units = new HParam("units", new Discrete(8, 16));
        using (var root = SummaryWriter.Create(dir))
        {
            root.HParamsConfig([units], [new Metric("accuracy"), new Metric("loss")]);
        }

        foreach ((int u, double[] acc) in new[] { (8, new[] { 0.5, 0.9, 0.7 }), (16, new[] { 0.6, 0.75, 0.8 }) })
        {
            using var run = SummaryWriter.Create(Path.Combine(dir, $"run-{u:D2}"));
            run.HParams(new Dictionary<HParam, object> { [units] = u });
            for (int step = 0; step < 3; step++)
            {
                run.Scalar("accuracy", acc[step], step + 1);
                run.Scalar("loss", 1 - acc[step], step + 1);
            }

            run.SessionEnd();
        }

        var (_, output, _) = Run("compare", dir, "--format", "json");
        JsonNode eight = JsonNode.Parse(output)!.AsArray().Single(r => r!["hparams"]!["units"]!.GetValue<double>() == 8)!;
        var (bestExit, bestOutput, _) = Run("best", dir, "--metric", "accuracy", "--json");

        Assert.Multiple(() =>
        {
            Assert.That(eight["metrics"]!["accuracy"]!["last"]!.GetValue<double>(), Is.EqualTo(0.7).Within(1e-6));
            Assert.That(eight["metrics"]!["accuracy"]!["best"]!.GetValue<double>(), Is.EqualTo(0.9).Within(1e-6));
            Assert.That(eight["metrics"]!["accuracy"]!["best_step"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(eight["metrics"]!["loss"]!["best"]!.GetValue<double>(), Is.EqualTo(0.1).Within(1e-6), "loss is minimised");
            Assert.That(bestExit, Is.Zero);
            Assert.That(JsonNode.Parse(bestOutput)!["hparams"]!["units"]!.GetValue<double>(), Is.EqualTo(16), "best by the last value, as TensorBoard shows it");
        });
    }

    [Test]
    public void Best_on_the_hparams_tutorial_golden()
    {
        var (exit, output, _) = Run("best", Golden("hparams_basic"), "--metric", "accuracy", "--json");
        JsonNode best = JsonNode.Parse(output)!;

        Assert.That(exit, Is.Zero);
        Assert.That(best["group"]!.GetValue<string>(), Is.EqualTo("3ec2aed9e07589fa816af6490b80638fa449b32984a47f4fe611f0b050c94f66"));
        Assert.That(best["metrics"]!["accuracy"]!["last"]!.GetValue<double>(), Is.EqualTo(0.8100000023841858));
        Assert.That(best["hparams"]!["optimizer"]!.GetValue<string>(), Is.EqualTo("adam"));
    }

    [Test]
    public void Where_filters_and_several_log_directories_align_columns()
    {
        var (_, filtered, _) = Run("compare", Golden("hparams_basic"), "--where", "optimizer=adam", "--where", "num_units=32", "--format", "csv");
        var (_, both, _) = Run("compare", Golden("hparams_basic"), Golden("cv_groups"), "--format", "csv");

        Assert.That(filtered.Trim().Split('\n'), Has.Length.EqualTo(3), "header + 2 groups");
        Assert.That(both.Split('\n')[0], Does.StartWith("logdir,group,sessions,status,num_units,dropout,optimizer,lr,depth,accuracy"));
        Assert.That(both.Trim().Split('\n'), Has.Length.EqualTo(1 + 8 + 4));
    }

    [Test]
    public void Export_writes_a_file_and_never_overwrites_one_silently()
    {
        string dir = NewDirectory();
        string file = Path.Combine(dir, "out.md");

        var (first, _, _) = Run("export", Golden("cv_groups"), "--format", "md", "-o", file);
        File.WriteAllText(file, "mine");
        var (second, _, error) = Run("export", Golden("cv_groups"), "--format", "md", "-o", file);
        var (forced, _, _) = Run("export", Golden("cv_groups"), "--format", "md", "-o", file, "--force");

        Assert.That(first, Is.Zero);
        Assert.That(second, Is.EqualTo(2));
        Assert.That(error, Does.Contain("exists; nothing was written"));
        Assert.That(forced, Is.Zero);
        Assert.That(File.ReadAllText(file), Does.StartWith("| group | n | status | lr | depth | accuracy last |"));
    }

    [Test]
    public void Validate_reports_corrupt_records_by_file_and_offset()
    {
        var (exit, output, _) = Run("validate", Golden("multi_file"));

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("bad_crc/events.out.tfevents.1700000000.golden.0.0 @ 210"));
        Assert.That(output, Does.Contain("warning: ").And.Contain("truncated"));
        Assert.That(output, Does.Contain("2 problems would hide data"));
    }

    [Test]
    public void Validate_accepts_tensorboards_own_experiment_and_warns_of_sessions_without_end()
    {
        var (exit, output, _) = Run("validate", Golden("statuses_and_metrics"));

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("5 sessions in 5 groups").And.Contain("no_end_info: has no session end"));
    }

    [Test]
    public void Validate_finds_what_would_hide_data()
    {
        string dir = NewDirectory();
        var lr = new HParam("lr", new RealInterval(0.01, 0.1));
        using (var root = SummaryWriter.Create(dir))
        {
            root.HParamsConfig([lr], [new Metric("accuracy"), new Metric("never_written")]);
        }

        using (var other = SummaryWriter.Create(Path.Combine(dir, "other")))
        {
            other.HParamsConfig([lr], []);
        }

        foreach ((string run, Dictionary<string, object> hparams) in new[]
        {
            ("a", new Dictionary<string, object> { ["lr"] = 0.5, ["extra"] = 1 }),
            ("b", new Dictionary<string, object> { ["lr"] = "fast" }),
        })
        {
            using var writer = SummaryWriter.Create(Path.Combine(dir, run));
            writer.HParams(hparams);
            writer.Scalar("accuracy", 0.5, 1);
            writer.SessionEnd();
        }

        var (exit, output, _) = Run("validate", dir);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(output, Does.Contain("2 experiment summaries"));
            Assert.That(output, Does.Contain("a: hparam 'extra' is not in the experiment"));
            Assert.That(output, Does.Contain("a: hparam 'lr' = 0.5 is outside its declared interval [0.01, 0.1]"));
            Assert.That(output, Does.Contain("hparam 'lr': has values of mixed kinds (number, string)"));
            Assert.That(output, Does.Contain("metric 'never_written': is declared in the experiment but no session reports it"));
        });
    }

    [Test]
    public void Ls_lists_sessions_groups_and_statuses()
    {
        var (exit, output, _) = Run("ls", Golden("cv_groups"));

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("2 hparams, 1 metrics").And.Contain("12 Success").And.Contain("2023-11-14 22:13:20"));
    }

    [Test]
    public void Bad_paths_get_a_clear_message_and_exit_code_2()
    {
        string empty = NewDirectory();
        string file = Path.Combine(empty, "notes.txt");
        File.WriteAllText(file, "x");

        Assert.Multiple(() =>
        {
            Assert.That(Run("compare", "/no/such/dir"), Is.EqualTo((2, "", "hparams: log directory '/no/such/dir' does not exist.\n")));
            Assert.That(Run("ls", file).Error, Does.Contain("is a file, not a log directory"));
            Assert.That(Run("validate", empty).Error, Does.Contain("holds no TensorBoard event files"));
            Assert.That(Run("validate", empty).Exit, Is.EqualTo(2));
            Assert.That(Run("compare", Golden("cv_groups"), "--metric", "nope").Error, Does.Contain("no metric 'nope'").And.Contain("accuracy"));
            Assert.That(Run("best", Golden("cv_groups")).Error, Does.Contain("say which metric with --metric"));
        });
    }

    [Test]
    public void Help_has_examples()
    {
        var (exit, output, _) = Run("compare", "--help");

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("Examples:").And.Contain("hparams compare logs/hparam_tuning --metric accuracy --sort --top 5"));
    }

    [Test]
    public void Contradictory_or_impossible_options_get_a_message_and_exit_code_2()
    {
        string golden = Golden("cv_groups");

        Assert.Multiple(() =>
        {
            Assert.That(Run("compare", golden, "--top", "-1"), Is.EqualTo((2, "", "hparams: --top -1: give the number of rows to show, 1 or more.\n")));
            Assert.That(Run("compare", golden, "--top", "0").Exit, Is.EqualTo(2));
            Assert.That(Run("best", golden, "--metric", "accuracy", "--minimize", "--maximize"), Is.EqualTo((2, "", "hparams: --minimize and --maximize contradict each other; pass one of them.\n")));
            Assert.That(Run("ls", golden, "--frobnicate"), Is.EqualTo((2, "", "hparams: unknown option '--frobnicate'. Run the command with --help for its options.\n")));
            Assert.That(Run("validate", golden, "--frobnicate").Error, Does.StartWith("hparams: Unrecognized command or argument '--frobnicate'"));
            Assert.That(Run("validate", golden, "--frobnicate").Exit, Is.EqualTo(2));
        });
    }

    [Test]
    public void Export_to_a_path_that_cannot_be_a_file_says_why_and_writes_nothing()
    {
        string golden = Golden("cv_groups");
        string dir = NewDirectory();
        string existing = Path.Combine(dir, "kept.csv");
        File.WriteAllText(existing, "precious");

        Assert.Multiple(() =>
        {
            Assert.That(Run("export", golden, "--format", "csv", "-o", dir), Is.EqualTo((2, "", $"hparams: --output '{dir}' is a directory; give a file path such as '{Path.Combine(dir, "results.csv")}'.\n")));
            Assert.That(Run("export", golden, "--format", "csv", "-o", ""), Is.EqualTo((2, "", "hparams: --output is empty; give a file path such as results.csv, or leave -o out to print to standard output.\n")));
            Assert.That(Run("export", golden, "--format", "csv", "-o", Path.Combine(existing, "x.csv")).Error, Does.Contain($"'{existing}' is a file, not a directory"));
            Assert.That(Run("export", golden, "--format", "csv", "-o", Path.Combine(dir, "missing", "x.csv")).Error, Does.Contain("does not exist; create it first"));
            Assert.That(Run("export", golden, "--format", "csv", "-o", existing).Exit, Is.EqualTo(2));
            if (Directory.Exists("/proc/self"))
            {
                Assert.That(Run("export", golden, "--format", "csv", "-o", "/proc/x.csv").Error, Does.Contain("virtual 'proc' file system"));
            }
        });
        Assert.That(File.ReadAllText(existing), Is.EqualTo("precious"));
        Assert.That(Directory.GetFiles(dir), Is.EqualTo(new[] { existing }), "no temporary file left");
        Assert.That(Run("export", golden, "--format", "csv", "-o", existing, "--force").Exit, Is.Zero);
        Assert.That(File.ReadAllText(existing), Does.StartWith("logdir,group"));
    }

    [Test]
    public void Malformed_hparams_content_is_a_message_in_every_command_not_a_crash()
    {
        string dir = NewDirectory();
        using (var writer = SummaryWriter.Create(Path.Combine(dir, "run")))
        {
            writer.HParams(new Dictionary<string, object> { ["lr"] = 0.1 });
            var content = Google.Protobuf.ByteString.CopyFrom(0x0A, 0xFF, 0xFF, 0x01);
            var bad = new HParamsNet.Protos.Summary.Types.Value { Tag = HParamsSummaries.ExperimentTag, Metadata = new() { PluginData = new() { PluginName = HParamsSummaries.PluginName, Content = content } } };
            writer.WriteSummary(new HParamsNet.Protos.Summary { Value = { bad } }, 0);
            writer.Scalar("accuracy", 0.5, 1);
        }

        foreach (string[] args in new[] { new[] { "ls", dir }, ["compare", dir], ["best", dir, "--metric", "accuracy"], ["export", dir, "--format", "json"], ["validate", dir] })
        {
            var (exit, output, error) = Run(args);
            Assert.That(output + error, Does.Not.Contain("   at "), $"{args[0]}: no stack trace");
            Assert.That(exit, args[0] == "validate" ? Is.EqualTo(1) : Is.Zero, args[0]);

            // Regression: ls and export said nothing of the damage compare warned about.
            Assert.That(args[0] == "validate" ? output : error, Does.Contain("not a valid HParamsPluginData"), $"{args[0]} says what it skipped");
        }

        Assert.That(Run("validate", dir).Output, Does.Contain("not a valid HParamsPluginData").And.Contain("@ "));
    }

    [Test]
    public void A_session_time_no_calendar_holds_is_shown_as_a_number_not_a_crash()
    {
        // Found by the fuzz run: a checksum-valid record with start_time_secs = 1e300 crashed `ls`.
        string dir = NewDirectory();
        var start = new HParamsNet.Protos.HParams.HParamsPluginData { SessionStartInfo = new() { GroupName = "g", StartTimeSecs = 1e300 } };
        var value = new HParamsNet.Protos.Summary.Types.Value { Tag = HParamsSummaries.SessionStartInfoTag, Metadata = new() { PluginData = new() { PluginName = HParamsSummaries.PluginName, Content = start.ToByteString() } } };
        using (var writer = SummaryWriter.Create(Path.Combine(dir, "run")))
        {
            writer.WriteSummary(new HParamsNet.Protos.Summary { Value = { value } }, 0);
        }

        var (exit, output, error) = Run("ls", dir);

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("1E+300 (not a time)"));
    }
}

/// <summary><c>hparams ls --dashboards</c>: each run's tags per dashboard.</summary>
public class LsDashboardsTests
{
    [Test]
    public void Ls_with_dashboards_counts_each_runs_tags_per_dashboard()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hparamsnet-cli-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using (var writer = HParamsNet.Summaries.SummaryWriter.Create(Path.Combine(dir, "train")))
            {
                writer.Histogram("w1", [1.0, 2.0], 0);
                writer.Histogram("w2", [1.0, 2.0], 0);
                writer.Text("notes", "hello", 0);
                writer.Image("sample", new byte[4], 2, 2, 1, 0);
                writer.Scalar("loss", 1, 0);
                writer.CustomScalars(new HParamsNet.Summaries.CustomScalarLayout([new HParamsNet.Summaries.CustomScalarCategory("Training", [new HParamsNet.Summaries.MultilineChart("loss", ["loss"]), new HParamsNet.Summaries.MultilineChart("all", [".*"])])]));
                writer.Embedding("points", [[1f, 2f], [3f, 4f]], 0);
            }

            var output = new StringWriter();
            var error = new StringWriter();
            int exit = CliApp.Run(["ls", dir, "--dashboards"], output, error);

            Assert.That((exit, error.ToString()), Is.EqualTo((0, string.Empty)));
            string row = output.ToString().Split('\n').Single(l => l.Contains("train", StringComparison.Ordinal));
            Assert.That(System.Text.RegularExpressions.Regex.Matches(row, "\\b\\d+\\b").Select(m => m.Value), Is.EqualTo(new[] { "2", "1", "0", "1", "0", "2", "1" }), "histograms, images, audio, text, PR curves, custom scalar charts, embeddings");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
