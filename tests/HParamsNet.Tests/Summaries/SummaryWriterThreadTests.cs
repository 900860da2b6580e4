using HParamsNet.Events;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;

namespace HParamsNet.Tests.Summaries;

/// <summary>
/// SummaryWriter's scalars skip the lock on the thread that writes them (see BiasedLock); these
/// are the ways other threads meet that thread: the flush timer, Flush, other dashboards, a second
/// scalar writer, Dispose, and a mistake thrown from inside the fast path.
/// </summary>
public class SummaryWriterThreadTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // Small buffer and a 1 ms timer: many flushes land in the middle of the owner's writes.
    private static readonly EventFileWriterOptions Busy = new() { BufferSize = 4096, FlushInterval = TimeSpan.FromMilliseconds(1) };

    [Test]
    public void Scalars_survive_the_timer_flushes_and_other_threads_of_other_dashboards()
    {
        using var dir = new TempDirectory();
        const int Steps = 200_000;
        string path;
        using (var writer = SummaryWriter.Create(dir.Path, Busy))
        {
            path = writer.FilePath;
            using var done = new CancellationTokenSource();
            Task scalars = Task.Factory.StartNew(
                () =>
                {
                    for (int step = 1; step <= Steps; step++)
                    {
                        writer.Scalar("loss", 1.0 / step, step);
                        writer.Scalar("accuracy", step, step);
                    }

                    done.Cancel();
                },
                TaskCreationOptions.LongRunning);
            Task visitor = Task.Factory.StartNew(
                () =>
                {
                    long step = 0;
                    while (!done.IsCancellationRequested)
                    {
                        step++;
                        writer.Text("notes", $"note {step}", step);
                        writer.Flush();
                    }
                },
                TaskCreationOptions.LongRunning);

            Assert.That(Task.WaitAll([scalars, visitor], Deadline), Is.True, "deadlocked");
        }

        var byTag = EventFileReader.ReadEvents(path).Skip(1)
            .GroupBy(e => e.Summary.Value[0].Tag)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Step).ToList());
        var expected = Enumerable.Range(1, Steps).Select(i => (long)i).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(byTag["loss"], Is.EqualTo(expected));
            Assert.That(byTag["accuracy"], Is.EqualTo(expected));
            Assert.That(byTag["notes"], Is.EqualTo(Enumerable.Range(1, byTag["notes"].Count).Select(i => (long)i)));
        });
    }

    [Test]
    public void Two_threads_of_scalars_write_every_value_once_in_order()
    {
        using var dir = new TempDirectory();
        const int Steps = 100_000;
        string path;
        using (var writer = SummaryWriter.Create(dir.Path, Busy))
        {
            path = writer.FilePath;
            Task[] threads = Enumerable.Range(0, 2).Select(t => Task.Factory.StartNew(
                () =>
                {
                    for (int step = 1; step <= Steps; step++)
                    {
                        writer.Scalar($"thread{t}", step, step);
                    }
                },
                TaskCreationOptions.LongRunning)).ToArray();
            Assert.That(Task.WaitAll(threads, Deadline), Is.True, "deadlocked");
        }

        var scalars = EventFileReader.ReadScalars(path).GroupBy(s => s.Tag).ToDictionary(g => g.Key, g => g.Select(s => (s.Step, s.Value)).ToList());
        var expected = Enumerable.Range(1, Steps).Select(i => ((long)i, (double)i)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(scalars["thread0"], Is.EqualTo(expected));
            Assert.That(scalars["thread1"], Is.EqualTo(expected));
        });
    }

    [Test]
    public void A_mistake_thrown_on_the_fast_path_leaves_the_writer_usable_from_other_threads()
    {
        using var dir = new TempDirectory();
        // Not 'using': after a failed wait, disposing would wait for ever too.
        var writer = SummaryWriter.Create(dir.Path, new EventFileWriterOptions { FlushInterval = Timeout.InfiniteTimeSpan });
        writer.Scalar("loss", 1, step: 2);

        Assert.Throws<ArgumentException>(() => writer.Scalar("loss", 1, step: 2));
        Assert.Throws<ArgumentException>(() => writer.Scalar("", 1, step: 3));
        Assert.Throws<ArgumentNullException>(() => writer.Scalar(null!, 1, step: 3));

        // Were the owner still marked inside, another thread's flush would wait for ever.
        Task flush = Task.Run(writer.Flush);
        Assert.That(flush.Wait(Deadline), Is.True, "another thread's flush waited for the owner after its exception");
        writer.Scalar("loss", 3, step: 3);
        writer.Dispose();
        Assert.That(EventFileReader.ReadScalars(writer.FilePath).Select(s => s.Step), Is.EqualTo(new long[] { 2, 3 }));
    }

    [Test]
    public void Disposed_from_another_thread_the_owner_is_refused_and_the_file_holds_a_whole_prefix()
    {
        using var dir = new TempDirectory();
        var writer = SummaryWriter.Create(dir.Path, Busy);
        long lastWritten = 0;
        using var started = new ManualResetEventSlim();
        Task owner = Task.Factory.StartNew(
            () =>
            {
                for (long step = 1; ; step++)
                {
                    writer.Scalar("loss", step, step);
                    lastWritten = step;
                    if (step == 1_000)
                    {
                        started.Set();
                    }
                }
            },
            TaskCreationOptions.LongRunning);
        started.Wait();
        writer.Dispose();

        var error = Assert.Throws<AggregateException>(() => owner.Wait(Deadline))!.InnerException;
        Assert.That(error, Is.TypeOf<ObjectDisposedException>());
        var steps = EventFileReader.ReadScalars(writer.FilePath).Select(s => s.Step).ToList();
        Assert.That(steps, Is.EqualTo(Enumerable.Range(1, (int)lastWritten).Select(i => (long)i)), "every value written before the dispose, none torn");
    }
}
