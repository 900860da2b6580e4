using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Protos.HParams;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace HParamsNet.Tests.Summaries;

public class SummaryWriterTests
{
    private static readonly HParam Units = new("num_units", new Discrete(16, 32));
    private static readonly HParam Dropout = new("dropout", new RealInterval(0.1, 0.2));
    private static readonly HParam Optimizer = new("optimizer", new Discrete("adam", "sgd"));

    [Test]
    public void The_public_surface_of_the_issue_writes_a_tutorial_run()
    {
        using var dir = new TempDirectory();
        var accuracy = new Metric("accuracy", displayName: "Accuracy");
        using (var root = SummaryWriter.Create(dir.Path))
        {
            root.HParamsConfig([Units, Dropout, Optimizer], [accuracy]);
        }

        string run0 = dir.Combine("run-0");
        using (var run = SummaryWriter.Create(run0))
        {
            run.HParams(new Dictionary<HParam, object> { [Units] = 16, [Dropout] = 0.1, [Optimizer] = "adam" });
            run.Scalar("accuracy", 0.87, step: 1);
            run.SessionEnd(SessionStatus.Success);
        }

        var events = EventFileReader.ReadRunEvents(run0).ToList();
        HParamsPluginData start = HParamsSummaries.TryParse(events[1].Summary.Value[0])!;
        HParamsPluginData end = HParamsSummaries.TryParse(events[3].Summary.Value[0])!;
        Assert.Multiple(() =>
        {
            Assert.That(start.SessionStartInfo.GroupName, Is.EqualTo("5b97f3c2967245b6fc0ed76a4d1c1f290ff6aaef6e6909d01d6e31ae52828c5b"));
            Assert.That(start.SessionStartInfo.Hparams["num_units"].NumberValue, Is.EqualTo(16));
            Assert.That(start.SessionStartInfo.Hparams["optimizer"].StringValue, Is.EqualTo("adam"));
            Assert.That(events[2].Step, Is.EqualTo(1));
            Assert.That(ScalarSummaries.TryGetValue(events[2].Summary.Value[0]), Is.EqualTo((double)0.87f));
            Assert.That(end.SessionEndInfo.Status, Is.EqualTo(Status.Success));
            Assert.That(events[1].Summary.Value[0].Tensor.TensorShape.Dim.Single().Size, Is.Zero, "null tensor");
        });

        Experiment experiment = HParamsSummaries.TryParse(EventFileReader.ReadRunEvents(dir.Path).ElementAt(1).Summary.Value[0])!.Experiment;
        Assert.That(experiment.HparamInfos.Select(h => (h.Name, h.Type)), Is.EqualTo(new[]
        {
            ("num_units", Protos.HParams.DataType.Float64), ("dropout", Protos.HParams.DataType.Float64), ("optimizer", Protos.HParams.DataType.String),
        }));
        Assert.That(experiment.MetricInfos.Single().DisplayName, Is.EqualTo("Accuracy"));
    }

    [Test]
    public void A_value_outside_its_domain_is_refused_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        using var run = SummaryWriter.Create(dir.Path);

        var error = Assert.Throws<ArgumentException>(() => run.HParams(new Dictionary<HParam, object> { [Units] = 64 }))!;
        run.Flush();

        Assert.That(error.Message, Does.Contain("'num_units'").And.Contain("64").And.Contain("Discrete(16, 32)"));
        Assert.That(EventFileReader.ReadEvents(run.FilePath).Count(), Is.EqualTo(1), "only the header");
    }

    [Test]
    public void Duplicate_hparam_names_are_refused()
    {
        using var dir = new TempDirectory();
        using var run = SummaryWriter.Create(dir.Path);
        var other = new HParam("num_units", new Discrete(16, 64));

        var error = Assert.Throws<ArgumentException>(() => run.HParams(new Dictionary<HParam, object> { [Units] = 16, [other] = 16 }))!;

        Assert.That(error.Message, Does.Contain("'num_units'"));
    }

    [Test]
    public void Session_start_and_end_are_written_once()
    {
        using var dir = new TempDirectory();
        using var run = SummaryWriter.Create(dir.Path);
        run.HParams(new Dictionary<string, object> { ["x"] = 1 });
        run.SessionEnd(SessionStatus.Failure);

        Assert.That(Assert.Throws<InvalidOperationException>(() => run.HParams(new Dictionary<string, object> { ["x"] = 2 }))!.Message, Does.Contain("already written"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => run.SessionEnd(SessionStatus.Success))!.Message, Does.Contain("cannot be changed"));
    }

    [Test]
    public void Steps_must_increase_per_tag()
    {
        using var dir = new TempDirectory();
        using var run = SummaryWriter.Create(dir.Path);
        run.Scalar("loss", 1, 5);
        run.Scalar("acc", 1, 1);

        var error = Assert.Throws<ArgumentException>(() => run.Scalar("loss", 1, 5))!;

        Assert.That(error.Message, Does.Contain("'loss'").And.Contain("step 5").And.Contain("previous step 5"));
        Assert.DoesNotThrow(() => run.Scalar("loss", 1, 6));
    }

    /// <summary>The writer finds a tag by the string object first: an equal tag in another string is the same series.</summary>
    [Test]
    public void A_tag_is_one_series_whichever_string_object_carries_it()
    {
        using var dir = new TempDirectory();
        string path;
        using (var run = SummaryWriter.Create(dir.Path))
        {
            run.Scalar("loss", 1, 5);
            string sameText = new("loss".AsSpan());
            Assert.That(ReferenceEquals(sameText, "loss"), Is.False);

            Assert.That(() => run.Scalar(sameText, 1, 5), Throws.ArgumentException.With.Message.Contain("previous step 5"));
            run.Scalar(sameText, 2, 6);
            run.Text("note", "hello", 1);
            Assert.That(() => run.Scalar(new string("note".AsSpan()), 1, 2), Throws.ArgumentException.With.Message.Contain("already holds text"));
            path = run.FilePath;
        }

        Assert.That(EventFileReader.ReadScalars(path).Select(s => (s.Tag, s.Step, s.Value)), Is.EqualTo(new[] { ("loss", 5L, 1.0), ("loss", 6L, 2.0) }));
    }

    [Test]
    public void A_tag_longer_than_the_buffer_is_written_every_time()
    {
        using var dir = new TempDirectory();
        string tag = new('t', 1000);
        string path;
        using (var run = SummaryWriter.Create(dir.Path, new EventFileWriterOptions { BufferSize = 256 }))
        {
            for (int step = 1; step <= 3; step++)
            {
                run.Scalar(tag, step, step);
                run.Scalar("short", step, step);
            }

            path = run.FilePath;
        }

        Assert.That(EventFileReader.ReadScalars(path).Select(s => (s.Tag.Length, s.Step)), Is.EqualTo(new[] { (1000, 1L), (5, 1L), (1000, 2L), (5, 2L), (1000, 3L), (5, 3L) }));
    }

    [Test]
    public void Many_tags_interleaved_keep_their_own_steps_and_values([Values(3, 40)] int tags)
    {
        using var dir = new TempDirectory();
        string path;
        var expected = new List<(string, long, double)>();
        using (var run = SummaryWriter.Create(dir.Path))
        {
            for (long step = 1; step <= 5; step++)
            {
                for (int t = 0; t < tags; t++)
                {
                    string tag = "metric/" + t; // a new string object every call
                    run.Scalar(tag, t + step / 10.0, step);
                    expected.Add((tag, step, (float)(t + step / 10.0)));
                }
            }

            Assert.That(() => run.Scalar("metric/" + (tags - 1), 0, 5), Throws.ArgumentException.With.Message.Contain("previous step 5"));
            path = run.FilePath;
        }

        Assert.That(EventFileReader.ReadScalars(path).Select(s => (s.Tag, s.Step, s.Value)), Is.EqualTo(expected));
    }

    [Test]
    public void Reserved_tags_are_refused()
    {
        using var dir = new TempDirectory();
        using var run = SummaryWriter.Create(dir.Path);

        Assert.That(Assert.Throws<ArgumentException>(() => run.Scalar("_hparams_/x", 1, 1))!.Message, Does.Contain("reserves"));
    }

    [Test]
    public void Trial_id_becomes_the_group_name_and_times_come_from_the_clock()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1700000123));
        using (var run = SummaryWriter.Create(dir.Path, new EventFileWriterOptions { TimeProvider = time }))
        {
            run.HParams(new Dictionary<HParam, object> { [Units] = 32 }, trialId: "trial-0007");
            time.Advance(TimeSpan.FromSeconds(90.5));
            run.SessionEnd(SessionStatus.Success);
        }

        var infos = EventFileReader.ReadRunEvents(dir.Path).Skip(1).Select(e => HParamsSummaries.TryParse(e.Summary.Value[0])!).ToList();
        Assert.That(infos[0].SessionStartInfo.GroupName, Is.EqualTo("trial-0007"));
        Assert.That(infos[0].SessionStartInfo.StartTimeSecs, Is.EqualTo(1700000123.0));
        Assert.That(infos[1].SessionEndInfo.EndTimeSecs, Is.EqualTo(1700000213.5));
    }

    [Test]
    public async Task Async_disposal_flushes()
    {
        using var dir = new TempDirectory();
        string path;
        await using (var run = SummaryWriter.Create(dir.Path, new EventFileWriterOptions { FlushInterval = Timeout.InfiniteTimeSpan }))
        {
            path = run.FilePath;
            run.Scalar("loss", 0.5, 1);
        }

        Assert.That(EventFileReader.ReadEvents(path).Count(), Is.EqualTo(2));
    }
}
