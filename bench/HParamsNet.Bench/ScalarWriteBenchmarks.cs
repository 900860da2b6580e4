using BenchmarkDotNet.Attributes;
using HParamsNet.Events;
using HParamsNet.Summaries;

namespace HParamsNet.Bench;

/// <summary>Time and allocation of one scalar write (BenchmarkDotNet, memory diagnoser).</summary>
[MemoryDiagnoser]
public class ScalarWriteBenchmarks
{
    private string _dir = string.Empty;
    private SummaryWriter _summaryWriter = null!;
    private EventFileWriter _eventWriter = null!;
    private long _step;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "hparamsnet-bdn", Guid.NewGuid().ToString("N"));
        _summaryWriter = SummaryWriter.Create(Path.Combine(_dir, "summary"));
        _eventWriter = EventFileWriter.Create(Path.Combine(_dir, "events"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _summaryWriter.Dispose();
        _eventWriter.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark]
    public void SummaryWriterScalar() => _summaryWriter.Scalar("loss", 0.5, _step++);

    [Benchmark]
    public void EventFileWriterWriteScalar() => _eventWriter.WriteScalar("loss", 0.5f, _step++);
}
