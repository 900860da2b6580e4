using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Protos.HParams;
using HParamsNet.Sessions;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Sessions;

/// <summary>The reader gives back the <see cref="HParamsExperiment"/> the writer takes, as TensorBoard stores it.</summary>
public class ExperimentRoundTripTests
{
    private static readonly string[] Words = ["lr", "units", "optimizer", "dropout", "Learning rate", "ünits", "a/b", "x y"];

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Written_then_read_is_the_experiment_as_tensorboard_stores_it()
    {
        return Prop.ForAll(Experiments().ToArbitrary(), experiment =>
        {
            using var dir = new TempDirectory();
            using (SummaryWriter writer = SummaryWriter.Create(dir.Combine("first")))
            {
                writer.HParamsConfig(experiment);
            }

            HParamsExperiment read = HParamsLogReader.ReadExperiment(dir.Combine("first"))!;
            using (SummaryWriter writer = SummaryWriter.Create(dir.Combine("again")))
            {
                writer.HParamsConfig(read);
            }

            bool sameHParams = read.HParams.SequenceEqual(experiment.HParams.Select(AsStored));
            bool sameMetrics = read.Metrics.SequenceEqual(experiment.Metrics);
            bool sameRest = (read.Name, read.Description, read.User, read.TimeCreated) == (experiment.Name, experiment.Description, experiment.User, experiment.TimeCreated);
            bool same = sameHParams && sameMetrics && sameRest;
            bool sameRecord = HParamsLogReader.ReadStoredExperiment(dir.Combine("again"))!.Equals(HParamsLogReader.ReadStoredExperiment(dir.Combine("first")));
            return (same && sameRecord).Label($"hparams {sameHParams}, metrics {sameMetrics}, rest {sameRest}: wrote {string.Join("; ", experiment.HParams)}, read {string.Join("; ", read.HParams)}; same record: {sameRecord}");
        });
    }

    [Test]
    public void A_golden_written_by_tensorflow_reads_as_domain_types()
    {
        HParamsExperiment experiment = HParamsLogReader.ReadExperiment(Golden.LogDir("hparams_basic"))!;

        Assert.That(experiment.HParams.OrderBy(h => h.Name, StringComparer.Ordinal), Is.EqualTo(new[]
        {
            new HParam("dropout", new RealInterval(0.1, 0.2)),
            new HParam("num_units", new Discrete(16, 32)),
            new HParam("optimizer", new Discrete("adam", "sgd")),
        }));
        Assert.That(((Discrete)experiment["num_units"].Domain).ValueType, Is.EqualTo(typeof(long)), "hp.Discrete([16, 32]) declares integers");
        Assert.That(experiment.Metrics, Is.EqualTo(new[] { new Metric("accuracy", displayName: "Accuracy") }));
        Assert.That(experiment.TimeCreated, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));
    }

    [Test]
    public void What_no_domain_type_holds_reads_as_unspecified_or_is_left_out_and_reported()
    {
        using var dir = new TempDirectory();
        var foreign = new Experiment();
        foreign.HparamInfos.Add(new HParamInfo { Name = "no_domain" });
        foreign.HparamInfos.Add(new HParamInfo { Name = "empty_list", DomainDiscrete = new Google.Protobuf.WellKnownTypes.ListValue() });
        foreign.HparamInfos.Add(new HParamInfo { Name = "upside_down", DomainInterval = new Protos.HParams.Interval { MinValue = 2, MaxValue = 1 } });
        foreign.HparamInfos.Add(new HParamInfo { Name = "no_domain", DomainInterval = new Protos.HParams.Interval { MinValue = 0, MaxValue = 1 } });
        foreign.HparamInfos.Add(new HParamInfo { Name = "" });
        foreign.MetricInfos.Add(new MetricInfo { Name = new MetricName { Tag = "loss" } });
        foreign.MetricInfos.Add(new MetricInfo { Name = new MetricName { Tag = "" } });
        WriteRoot(dir.Path, foreign);
        var problems = new List<EventFileProblem>();

        HParamsExperiment experiment = HParamsLogReader.ReadExperiment(dir.Path, new EventFileReaderOptions { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile, ProblemReported = problems.Add })!;

        Assert.That(experiment.HParams.Select(h => (h.Name, h.Domain)), Is.EqualTo(new[]
        {
            ("no_domain", Domain.Unspecified),
            ("empty_list", Domain.Unspecified),
            ("upside_down", Domain.Unspecified),
        }));
        Assert.That(experiment.Metrics.Select(m => m.Tag), Is.EqualTo(new[] { "loss" }));
        Assert.That(problems.Select(p => p.Message), Has.Some.Contains("hparam 'no_domain' is declared twice")
            .And.Some.Contains("hparam '' is left out")
            .And.Some.Contains("metric '/' is left out"));
        Assert.That(problems, Has.All.Matches<EventFileProblem>(p => p.Kind == EventFileProblemKind.InvalidPluginData));
    }

    [Test]
    public void A_tuner_refuses_an_hparam_without_a_domain_and_says_what_to_declare()
    {
        using var dir = new TempDirectory();
        var options = new TunerOptions
        {
            LogDir = dir.Path,
            Space = [new HParam("units", new Discrete(8, 16)), new HParam("note", Domain.Unspecified)],
            Objective = new Objective(new Metric("accuracy"), StudyDirection.Maximize),
            Strategy = new GridSearch(),
        };

        var refused = Assert.Throws<ArgumentException>(() => new Tuner(options))!;

        Assert.That(refused.Message, Does.Contain("Hparam 'note' has no domain").And.Contain("Declare it with Discrete, IntInterval or RealInterval"));
        Assert.That(Directory.Exists(dir.Path) ? Directory.EnumerateFileSystemEntries(dir.Path) : [], Is.Empty, "nothing written");
    }

    [Test]
    public void An_hparam_without_a_domain_is_written_as_tensorflow_writes_it_and_takes_any_value()
    {
        var hparam = new HParam("note", Domain.Unspecified);

        Assert.That(hparam.Validate("anything"), Is.EqualTo("anything"));
        Assert.That(hparam.Validate(3), Is.EqualTo(3L));
        Assert.That(HParamsSummaries.Experiment(new HParamsExperiment([hparam], []), DateTimeOffset.UnixEpoch).Value[0].Metadata.PluginData.Content,
            Is.EqualTo(new HParamsPluginData { Version = 0, Experiment = new Experiment { HparamInfos = { new HParamInfo { Name = "note" } } } }.ToByteString()));
    }

    // TensorBoard keeps intervals as FLOAT64 bounds, without integer type or scale, and numbers as doubles.
    private static HParam AsStored(HParam hparam) => hparam.Domain switch
    {
        Discrete { ValueType: var type } d when type == typeof(double) && d.Values.All(v => (double)v == Math.Floor((double)v))
            => new HParam(hparam.Name, new Discrete([.. d.Values.Select(v => (object)(long)(double)v)]), hparam.DisplayName, hparam.Description),
        IntInterval i => new HParam(hparam.Name, new RealInterval(i.MinValue, i.MaxValue), hparam.DisplayName, hparam.Description),
        RealInterval { Log: true } r => new HParam(hparam.Name, new RealInterval(r.MinValue, r.MaxValue), hparam.DisplayName, hparam.Description),
        _ => hparam,
    };

    private static void WriteRoot(string logDir, Experiment experiment)
    {
        using EventFileWriter writer = EventFileWriter.Create(logDir);
        writer.WriteSummary(HParamsSummaries.Experiment(experiment), step: 0);
    }

    private static Gen<List<T>> ListOf<T>(Gen<T> items, int min, int max) =>
        from count in Gen.Choose(min, max)
        from list in items.ListOf(count)
        select list.ToList();

    private static Gen<HParamsExperiment> Experiments() =>
        from hparams in ListOf(HParams(), 1, 5)
        from metrics in ListOf(Gen.Elements(Words), 0, 3)
        from groups in ListOf(Gen.Elements("", "validation", "train/eval"), 3, 3)
        from name in Gen.Elements(Words)
        from seconds in Gen.Choose(0, int.MaxValue)
        select new HParamsExperiment(
            hparams.DistinctBy(h => h.Name),
            metrics.Distinct().Select((tag, i) => new Metric(tag, groups[i], displayName: tag.ToUpperInvariant(), datasetType: (DatasetType)(i % 3))))
        {
            Name = name,
            Description = $"*{name}*",
            User = "tester",
            TimeCreated = DateTimeOffset.FromUnixTimeSeconds(seconds),
        };

    private static Gen<HParam> HParams() =>
        from name in Gen.Elements(Words)
        from display in Gen.Elements("", "Shown")
        from domain in Domains()
        select new HParam(name, domain, display, description: display.Length == 0 ? string.Empty : "**md**");

    private static Gen<Domain> Domains()
    {
        Gen<Domain> ints = from a in Gen.Choose(-1000, 1000) from width in Gen.Choose(0, 1000) from log in Gen.Elements(false, true)
                           select (Domain)new IntInterval(a, a + width) { Log = log && a > 0 };
        Gen<Domain> reals = from a in Gen.Choose(-1000, 1000) from width in Gen.Choose(0, 1000) from scale in Gen.Elements(1e-3, 0.5, 7.25)
                            from log in Gen.Elements(false, true)
                            select (Domain)new RealInterval(a * scale, (a + width) * scale) { Log = log && a > 0 };
        Gen<Domain> numbers = from values in ListOf(Gen.Elements<object>(1, 2, 16L, 0.5, -3.25, 1e-9, 32.0), 1, 5)
                              select (Domain)new Discrete([.. values.DistinctBy(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture))]);
        Gen<Domain> strings = from values in ListOf(Gen.Elements(Words), 1, 4) select (Domain)new Discrete([.. values.Distinct()]);
        Gen<Domain> bools = Gen.Elements<Domain>(new Discrete(true), new Discrete(false, true));
        return Gen.OneOf(ints, reals, numbers, strings, bools, Gen.Constant(Domain.Unspecified));
    }
}
