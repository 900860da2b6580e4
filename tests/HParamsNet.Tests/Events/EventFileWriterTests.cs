using System.Text.RegularExpressions;
using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace HParamsNet.Tests.Events;

public class EventFileWriterTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    [Test]
    public void File_is_named_as_tensorboard_names_it_and_starts_with_the_header()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Start);

        string path;
        using (var writer = EventFileWriter.Create(dir.Path, new EventFileWriterOptions { TimeProvider = time, FileNameSuffix = ".v2" }))
        {
            path = writer.FilePath;
        }

        Assert.That(Path.GetFileName(path), Does.Match(@$"^events\.out\.tfevents\.1700000000\.{Regex.Escape(System.Net.Dns.GetHostName())}\.{Environment.ProcessId}\.0\.v2$"));
        Event header = EventFileReader.ReadEvents(path).Single();
        Assert.That(header.FileVersion, Is.EqualTo("brain.Event:2"));
        Assert.That(header.WallTime, Is.EqualTo(1700000000.0));
        Assert.That(header.Step, Is.Zero);
        Assert.That(header.SourceMetadata.Writer, Is.EqualTo("HParamsNet"));
    }

    [Test]
    public void An_existing_file_is_never_overwritten()
    {
        using var dir = new TempDirectory();
        var options = new EventFileWriterOptions { TimeProvider = new FakeTimeProvider(Start) };
        string taken = Path.Combine(dir.Path, EventFileNames.Create(Start, System.Net.Dns.GetHostName(), Environment.ProcessId, 0));
        File.WriteAllText(taken, "precious");

        using var writer = EventFileWriter.Create(dir.Path, options);

        Assert.That(File.ReadAllText(taken), Is.EqualTo("precious"));
        Assert.That(writer.FilePath, Does.EndWith(".1"));
    }

    [Test]
    public void Events_reach_the_file_on_the_flush_interval()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(Start);
        using var writer = EventFileWriter.Create(dir.Path, new EventFileWriterOptions { TimeProvider = time, FlushInterval = TimeSpan.FromSeconds(5) });
        long headerOnly = new FileInfo(writer.FilePath).Length;

        writer.WriteScalar("loss", 1f, 1);
        long beforeInterval = new FileInfo(writer.FilePath).Length;
        time.Advance(TimeSpan.FromSeconds(5));
        long afterInterval = new FileInfo(writer.FilePath).Length;

        Assert.That(beforeInterval, Is.EqualTo(headerOnly), "buffered, not yet written");
        Assert.That(afterInterval, Is.GreaterThan(headerOnly), "written when the interval elapsed");
    }

    [Test]
    public void Events_reach_the_file_when_the_buffer_fills()
    {
        using var dir = new TempDirectory();
        var options = new EventFileWriterOptions { FlushInterval = Timeout.InfiniteTimeSpan, BufferSize = 256 };
        using var writer = EventFileWriter.Create(dir.Path, options);
        long headerOnly = new FileInfo(writer.FilePath).Length;

        for (int step = 0; step < 10; step++)
        {
            writer.WriteScalar("loss", step, step);
        }

        Assert.That(new FileInfo(writer.FilePath).Length, Is.GreaterThan(headerOnly + 256 - 64));
    }

    [Test]
    public void Dispose_flushes_everything()
    {
        using var dir = new TempDirectory();
        string path;
        using (var writer = EventFileWriter.Create(dir.Path, new EventFileWriterOptions { FlushInterval = Timeout.InfiniteTimeSpan }))
        {
            path = writer.FilePath;
            for (int step = 0; step < 1000; step++)
            {
                writer.WriteScalar("loss", step, step);
            }
        }

        var steps = EventFileReader.ReadEvents(path).Where(e => e.Summary is not null).Select(e => e.Step);
        Assert.That(steps, Is.EqualTo(Enumerable.Range(0, 1000).Select(i => (long)i)));
    }

    [Test]
    public void Metadata_goes_on_the_first_value_of_each_tag_only()
    {
        using var dir = new TempDirectory();
        string path;
        using (var writer = EventFileWriter.Create(dir.Path))
        {
            path = writer.FilePath;
            writer.WriteScalar("a", 1, 0);
            writer.WriteScalar("b", 1, 0);
            writer.WriteScalar("a", 2, 1);
        }

        var values = EventFileReader.ReadEvents(path).Skip(1).Select(e => e.Summary.Value.Single()).ToList();
        Assert.That(values.Select(v => (v.Tag, v.Metadata?.PluginData?.PluginName)),
            Is.EqualTo(new (string, string?)[] { ("a", "scalars"), ("b", "scalars"), ("a", null) }));
    }

    [Test]
    public void Many_threads_write_every_event_once_and_in_order_per_thread()
    {
        using var dir = new TempDirectory();
        const int Threads = 4;
        const int PerThread = 20_000;
        string path;
        using (var writer = EventFileWriter.Create(dir.Path, new EventFileWriterOptions { BufferSize = 4096, FlushInterval = TimeSpan.FromMilliseconds(1) }))
        {
            path = writer.FilePath;
            Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
            {
                for (int step = 0; step < PerThread; step++)
                {
                    writer.WriteScalar($"thread{t}", step, step);
                }
            });
        }

        var byTag = EventFileReader.ReadEvents(path).Skip(1)
            .GroupBy(e => e.Summary.Value[0].Tag)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Step).ToList());
        Assert.That(byTag.Keys, Is.EquivalentTo(Enumerable.Range(0, Threads).Select(t => $"thread{t}")));
        Assert.That(byTag.Values, Has.All.EqualTo(Enumerable.Range(0, PerThread).Select(i => (long)i).ToList()));
    }

    [Test]
    public void Writing_after_dispose_is_refused()
    {
        using var dir = new TempDirectory();
        var writer = EventFileWriter.Create(dir.Path);
        writer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => writer.WriteScalar("loss", 1, 1));
    }

    [Test]
    public void A_file_where_the_directory_should_be_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("not-a-dir");
        File.WriteAllText(file, "x");

        var error = Assert.Throws<IOException>(() => EventFileWriter.Create(file))!;

        Assert.That(error.Message, Does.Contain(file).And.Contain("is a file"));
    }

    [Test]
    public void Non_finite_wall_time_is_refused()
    {
        using var dir = new TempDirectory();
        using var writer = EventFileWriter.Create(dir.Path);

        var error = Assert.Throws<ArgumentException>(() => writer.WriteEvent(new Event { WallTime = double.NaN }))!;

        Assert.That(error.Message, Does.Contain("wall_time"));
    }

    [Test]
    public void Records_larger_than_the_buffer_are_written_whole()
    {
        using var dir = new TempDirectory();
        var hparams = Enumerable.Range(0, 200).Select(i => new HParam($"hparam_{i:D3}", new RealInterval(0, i + 1))).ToList();
        string path;
        using (var writer = EventFileWriter.Create(dir.Path, new EventFileWriterOptions { BufferSize = 256 }))
        {
            path = writer.FilePath;
            writer.WriteSummary(HParamsSummaries.Experiment(new HParamsExperiment(hparams, []), Start), 0);
            writer.WriteScalar("after", 1, 1);
        }

        var events = EventFileReader.ReadEvents(path).ToList();
        Assert.That(HParamsSummaries.TryParse(events[1].Summary.Value[0])!.Experiment.HparamInfos, Has.Count.EqualTo(200));
        Assert.That(events[2].Summary.Value[0].Tag, Is.EqualTo("after"));
    }

    [Test]
    public void A_writer_that_fails_to_start_removes_its_file_and_does_not_retry_forever()
    {
        // Regression: an IOException from the writer's start-up (here the clock's timer) was once
        // taken for "name taken" and retried with the next counter, creating empty files forever.
        using var dir = new TempDirectory();
        var options = new EventFileWriterOptions { TimeProvider = new FailingTimerClock() };

        var error = Assert.Throws<IOException>(() => EventFileWriter.Create(dir.Path, options))!;

        Assert.That(error.Message, Is.EqualTo("timer unavailable"));
        Assert.That(Directory.EnumerateFiles(dir.Path), Is.Empty);
    }

    private sealed class FailingTimerClock : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            throw new IOException("timer unavailable");
    }
}
