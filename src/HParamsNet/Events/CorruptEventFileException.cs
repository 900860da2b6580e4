namespace HParamsNet.Events;

/// <summary>An event file is damaged: a checksum does not match, or a record is not an Event.</summary>
public sealed class CorruptEventFileException : IOException
{
    /// <summary>Creates the exception for <paramref name="problem"/>.</summary>
    public CorruptEventFileException(EventFileProblem problem, Exception? innerException = null)
        : base((problem ?? throw new ArgumentNullException(nameof(problem))).Message, innerException)
    {
        Problem = problem;
    }

    /// <summary>The file, the byte offset and what is wrong there.</summary>
    public EventFileProblem Problem { get; }

    /// <summary>The event file.</summary>
    public string FilePath => Problem.Path;

    /// <summary>Byte offset of the damaged record.</summary>
    public long Offset => Problem.Offset;
}
