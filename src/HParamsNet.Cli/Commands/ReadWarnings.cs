using HParamsNet.Events;

namespace HParamsNet.Cli.Commands;

/// <summary>
/// How the commands read: leniently, as TensorBoard does (up to the damage), while every damaged
/// record or hparams content is said, once, as a warning with its file and offset.
/// </summary>
internal sealed class ReadWarnings
{
    private readonly List<EventFileProblem> _problems = [];

    /// <summary>The reader options that collect the problems.</summary>
    public EventFileReaderOptions Options => new() { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile, ProblemReported = _problems.Add };

    /// <summary>Writes each damage found (not the truncated end of a file still being written) as a warning.</summary>
    public void Write(CliContext context)
    {
        foreach (string message in _problems.Where(p => p.IsCorruption).Select(p => p.Message).Distinct(StringComparer.Ordinal))
        {
            context.Error.WriteLine($"hparams: warning: {message}");
        }
    }
}
