namespace HParamsNet.Events;

/// <summary>What a reader does at a damaged record.</summary>
public enum CorruptRecordHandling
{
    /// <summary>Throw <see cref="CorruptEventFileException"/> naming the file and byte offset.</summary>
    Throw = 0,

    /// <summary>
    /// Report the problem and stop reading that file, keeping what came before; in a run directory,
    /// go on with the next file. This is what TensorBoard's Python loader does.
    /// </summary>
    SkipRestOfFile = 1,
}

/// <summary>Options for <see cref="EventFileReader"/>.</summary>
public sealed class EventFileReaderOptions
{
    /// <summary>The options used when none are given.</summary>
    public static EventFileReaderOptions Default { get; } = new();

    /// <summary>What to do at a damaged record.</summary>
    /// <value>Default: <see cref="CorruptRecordHandling.Throw"/>.</value>
    public CorruptRecordHandling OnCorruptRecord { get; init; } = CorruptRecordHandling.Throw;

    /// <summary>Whether payload checksums are checked (length checksums always are).</summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>
    /// Called for each problem found: a truncated final record (always reported, never thrown)
    /// and, with <see cref="CorruptRecordHandling.SkipRestOfFile"/>, each damaged record.
    /// </summary>
    public Action<EventFileProblem>? ProblemReported { get; init; }

    /// <summary>These options with problems added to <paramref name="problems"/> instead of reported.</summary>
    internal EventFileReaderOptions ReportingTo(List<EventFileProblem> problems) => new()
    {
        OnCorruptRecord = OnCorruptRecord,
        VerifyChecksums = VerifyChecksums,
        ProblemReported = problems.Add,
    };
}
